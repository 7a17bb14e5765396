"""What "blank" means, shared by the API (which strips with `str.strip`) and the database."""

from __future__ import annotations

# Every character Python's `str.strip()` removes. The API strips with it, so the database must agree
# on what "blank" means: SQL's one-argument TRIM removes only spaces and would let "\t\n" through.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)

# An ECMA regex for "one character that is not whitespace" to Python, as \u escapes: `\s`
# differs between Python and the regexes OpenAPI tools use (Python also strips \x1c-\x1f and
# \x85; ECMA's \s also has \ufeff).
NOT_BLANK = "[^" + "".join(f"\\u{ord(char):04x}" for char in WHITESPACE) + "]"
