"""Reading one raw RFC 5322 message into what the desk needs: who wrote, about what, the new text
of a reply, its attachments, and whether it is noise (an auto-reply) or a bounce.

The standard library's `email` package with the modern policy does the decoding (MIME, charsets,
RFC 2047 encoded words); html2text turns HTML-only mail into text; mail-parser-reply trims quoted
history and signatures. Nothing here raises on a malformed message: a header that cannot be read
counts as absent, and a message without a Message-ID gets one derived from its bytes (so a
refetch is still recognised).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

import html2text
from mailparser_reply import EmailReplyParser

# Languages whose "On ... wrote:" headers and signature markers the trimmer knows.
REPLY_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "sv", "da", "pl", "cs", "ja", "zh", "ko"]

# "Re:", "Fwd:", "AW:", "SV:", "RE[2]:", "Antw:", ... repeated: every reply prefix we know of.
_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|wg|sv|vs|antw|doorst|tr|rif|r|res|enc|odp|pd|vá|ynt|atb|"
    r"回复|回覆|答复|転送|返信)\s*(?:\[\d+\]|\(\d+\))?\s*[:\uff1a]\s*)+",
    re.IGNORECASE,
)
_WHITESPACE = re.compile(r"\s+")
_MSGID = re.compile(r"<([^<>\s]+)>")


@dataclass(frozen=True)
class AttachmentPart:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Bounce:
    """A delivery failure report: who could not be reached, and the message that failed."""

    recipients: list[str]
    original_message_id: str | None
    diagnostic: str


@dataclass(frozen=True)
class ParsedEmail:
    message_id: str
    in_reply_to: list[str]
    references: list[str]
    sender: str  # lower-cased address, "" when none could be read
    sender_name: str
    recipients: list[str]
    subject: str
    text: str  # the whole text of the body
    reply_text: str  # the body without quoted history and signature
    attachments: list[AttachmentPart] = field(default_factory=list)
    auto_reply: str | None = None  # why it is an automatic message, or None
    bounce: Bounce | None = None


def parse(raw: bytes) -> ParsedEmail:
    """Parse a raw message; never raises on malformed input."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)  # policy.default builds EmailMessage objects
    sender_name, sender = _address(message, "From")
    text = _body_text(message)
    return ParsedEmail(
        message_id=_message_id(message, raw),
        in_reply_to=_message_ids(_header(message, "In-Reply-To")),
        references=_message_ids(_header(message, "References")),
        sender=sender,
        sender_name=sender_name,
        recipients=_addresses(message, "To") + _addresses(message, "Cc"),
        subject=_WHITESPACE.sub(" ", _header(message, "Subject")).strip(),
        text=text,
        reply_text=trim_reply(text),
        attachments=list(_attachments(message)),
        auto_reply=_auto_reply(message),
        bounce=_bounce(message),
    )


def title_from(subject: str, body: str, *, max_length: int = 200) -> str:
    """A ticket title: the subject without reply/forward prefixes (and our reference token), or
    the body's first non-empty line when that leaves nothing."""
    title = _PREFIX.sub("", strip_reference_token(subject)).strip()
    if not title:
        title = next((line.strip() for line in body.splitlines() if line.strip()), "")
    title = _WHITESPACE.sub(" ", title) or "(no subject)"
    return title[:max_length].strip()


_TOKEN = re.compile(r"\s*\[#\d+-[0-9a-f]+\]\s*")


def strip_reference_token(subject: str) -> str:
    return _TOKEN.sub(" ", subject).strip()


def trim_reply(text: str) -> str:
    """The newest part of a reply: quoted history ("On ... wrote:", "> ..." lines, Outlook's
    "From: ... Sent: ..." block) and the signature removed. Falls back to the whole text when
    trimming would leave nothing (a message that is all quote)."""
    try:
        replies = EmailReplyParser(languages=REPLY_LANGUAGES).read(text=text).replies
        # `body`: the newest reply without its headers, signature and disclaimers.
        reply = str(replies[0].body) if replies else ""
    except Exception:  # a third-party regex engine on arbitrary input: never fail the message
        reply = ""
    reply = reply.strip()
    return reply or text.strip()


def message_ids_in(value: str) -> list[str]:
    return _message_ids(value)


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
        return "" if value is None else str(value)
    except Exception:  # a header the policy cannot parse reads as absent
        return ""


def _address(message: Message, name: str) -> tuple[str, str]:
    value = _header(message, name)
    display, address = parseaddr(value)
    address = address.strip().lower()
    if "@" not in address or any(ch.isspace() for ch in address):
        return display, ""
    return display, address


def _addresses(message: Message, name: str) -> list[str]:
    try:
        values = [str(v) for v in message.get_all(name, [])]
    except Exception:
        return []
    return [a.strip().lower() for _, a in getaddresses(values) if "@" in a]


def _message_ids(value: str) -> list[str]:
    return _MSGID.findall(value)


def _message_id(message: Message, raw: bytes) -> str:
    found = _message_ids(_header(message, "Message-ID"))
    if found:
        return found[0][:998]
    # No usable Message-ID: one derived from the bytes still recognises a refetch.
    return f"sha256-{hashlib.sha256(raw).hexdigest()}@no-message-id.invalid"


def _part_text(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError, ValueError):
        # An unknown or lying charset: decode what is there, replacing what cannot be read.
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def html_to_text(html: str) -> str:
    converter = html2text.HTML2Text()
    converter.body_width = 0  # keep paragraphs on one line; mail clients wrap
    converter.ignore_images = True
    converter.ignore_emphasis = True
    converter.ignore_tables = True
    return converter.handle(html).strip()


def _body_text(message: EmailMessage) -> str:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        part = None
    if part is None:
        return ""
    assert isinstance(part, EmailMessage)
    text = _part_text(part)
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return text.replace("\r\n", "\n").strip()


def _attachments(message: EmailMessage) -> list[AttachmentPart]:
    found: list[AttachmentPart] = []
    try:
        parts = list(message.iter_attachments())
    except Exception:
        return found
    for part in parts:
        assert isinstance(part, EmailMessage)
        if part.get_content_maintype() in ("multipart", "message"):
            continue  # a forwarded message or a report part, not a file
        payload = None
        with contextlib.suppress(Exception):
            payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        name = ""
        with contextlib.suppress(Exception):
            name = part.get_filename() or ""
        found.append(AttachmentPart(filename=_safe_filename(name), data=payload))
    return found


def _safe_filename(name: str) -> str:
    name = re.sub(r"[\x00-\x1f\x7f/\\\"]", "_", name).strip().strip(".")
    return name[:255] or "attachment"


def _auto_reply(message: Message) -> str | None:
    auto = _header(message, "Auto-Submitted").strip().lower()
    if auto and not auto.startswith("no"):
        return f"auto-submitted: {auto.split(';')[0]}"
    precedence = _header(message, "Precedence").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond"):
        if _header(message, name).strip():
            return f"{name.lower()} header"
    return None


def _bounce(message: EmailMessage) -> Bounce | None:
    if message.get_content_type() != "multipart/report":
        return None
    if message.get_param("report-type", "").lower() != "delivery-status":  # type: ignore[union-attr]
        return None
    recipients: list[str] = []
    diagnostic: list[str] = []
    original: str | None = None
    for part in message.walk():
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            for block in part.get_payload():
                if not isinstance(block, Message):
                    continue
                action = str(block.get("Action", "")).strip().lower()
                if action and action != "failed":
                    continue
                final = str(block.get("Final-Recipient", "") or block.get("Original-Recipient", ""))
                address = final.split(";", 1)[-1].strip().lower()
                if "@" in address:
                    recipients.append(address)
                code = str(block.get("Diagnostic-Code", "") or block.get("Status", ""))
                if code:
                    diagnostic.append(_WHITESPACE.sub(" ", code).strip())
        elif ctype in ("message/rfc822", "text/rfc822-headers") and original is None:
            original = _original_message_id(part)
    return Bounce(
        recipients=recipients, original_message_id=original, diagnostic="; ".join(diagnostic)
    )


def _original_message_id(part: Message) -> str | None:
    try:
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            inner_message = inner[0] if isinstance(inner, list) else inner
            if isinstance(inner_message, Message):
                found = _message_ids(str(inner_message.get("Message-ID", "")))
                return found[0] if found else None
            return None
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            headers = BytesParser(policy=policy.default).parsebytes(payload, headersonly=True)
            found = _message_ids(str(headers.get("Message-ID", "")))
            return found[0] if found else None
    except Exception:
        return None
    return None
