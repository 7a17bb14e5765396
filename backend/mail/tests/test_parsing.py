"""The corpus of real-world-shaped messages, parsed: titles, trimmed replies, charsets, HTML,
attachments, automatic mail, bounces; and arbitrary bytes never raise."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mail.parsing import parse, title_from, trim_reply
from mail.tests.conftest import corpus


def test_gmail_reply_is_trimmed_to_the_new_text() -> None:
    parsed = parse(corpus("gmail_reply.eml"))
    assert parsed.sender == "alice@customer.example"
    assert parsed.sender_name == "Alice Martin"
    assert parsed.in_reply_to == ["ack-1@desk.example"]
    assert parsed.message_id == "CAJx1gmail-reply-0001@mail.gmail.com"
    assert parsed.reply_text.startswith("Thanks, it still jams after the firmware update.")
    assert "wrote:" not in parsed.reply_text
    assert "We have received your request" not in parsed.reply_text
    assert "We have received your request" in parsed.text  # the whole text is still there


def test_outlook_reply_drops_the_from_sent_block_and_signature() -> None:
    parsed = parse(corpus("outlook_reply.eml"))
    assert "timeout at 10:00 exactly" in parsed.reply_text
    assert "Could you send us the client log?" not in parsed.reply_text
    assert "IT Manager" not in parsed.reply_text
    assert "Sent: Tuesday" not in parsed.reply_text
    assert parsed.references == ["first-7@corp.example", "agent-reply-7@desk.example"]


def test_apple_mail_reply_drops_quote_and_sent_from() -> None:
    parsed = parse(corpus("apple_reply.eml"))
    assert parsed.reply_text.startswith("Yes, the refund arrived this morning. Merci !")
    assert "We have issued a refund" not in parsed.reply_text
    assert "Sent from my iPhone" not in parsed.reply_text
    assert parsed.message_id == "5A1B2C3D-APPLE-0001@maison.example"


def test_html_only_mail_becomes_text_without_script_or_style() -> None:
    parsed = parse(corpus("html_only.eml"))
    assert parsed.sender_name == "José García"
    assert "cannot log in" in parsed.text
    assert "Chrome 131" in parsed.text
    assert "alert(1)" not in parsed.text
    assert "color:red" not in parsed.text
    assert "<" not in parsed.text


def test_multipart_alternative_prefers_the_plain_part() -> None:
    parsed = parse(corpus("multipart_alternative.eml"))
    assert parsed.text == "The CSV export has headers but no rows since yesterday."
    assert title_from(parsed.subject, parsed.text) == "Export to CSV is empty"


def test_attachments_are_found_with_decoded_names() -> None:
    parsed = parse(corpus("attachments.eml"))
    names = [a.filename for a in parsed.attachments]
    assert names == ["screen.png", "página.html"]
    assert parsed.attachments[0].data.startswith(b"\x89PNG")
    assert "attached screenshot" in parsed.text


def test_iso_8859_1_body_and_encoded_headers_are_decoded() -> None:
    parsed = parse(corpus("iso_8859_1.eml"))
    assert parsed.subject == "Problème de facturation à régler"
    assert parsed.sender_name == "Renée Müller"
    assert "décembre est erronée" in parsed.text and "Grüße" in parsed.text


def test_shift_jis_body_and_iso_2022_jp_subject_are_decoded() -> None:
    parsed = parse(corpus("shift_jis.eml"))
    assert parsed.subject == "ログインできません"
    assert parsed.sender_name == "山田太郎"
    assert "パスワードを再設定" in parsed.text


def test_utf8_encoded_word_subject_loses_its_reply_prefix() -> None:
    parsed = parse(corpus("encoded_subject.eml"))
    assert parsed.subject == "Re: Überweisung fehlgeschlagen 😕"
    assert title_from(parsed.subject, parsed.text) == "Überweisung fehlgeschlagen 😕"


def test_malformed_headers_do_not_raise() -> None:
    parsed = parse(corpus("malformed_headers.eml"))
    assert parsed.sender == ""  # no readable address: the service drops it
    assert parsed.message_id.endswith("@no-message-id.invalid")
    assert parsed.message_id == parse(corpus("malformed_headers.eml")).message_id


def test_auto_reply_is_recognised() -> None:
    assert parse(corpus("auto_reply.eml")).auto_reply == "auto-submitted: auto-replied"
    assert parse(corpus("gmail_reply.eml")).auto_reply is None


def test_bounce_names_the_recipient_and_the_original_message() -> None:
    raw = (
        (corpus("bounce.eml.template"))
        .decode()
        .format(n=1, recipient="gone@customer.example", original="orig-1@desk.example")
        .encode()
    )
    bounce = parse(raw).bounce
    assert bounce is not None
    assert bounce.recipients == ["gone@customer.example"]
    assert bounce.original_message_id == "orig-1@desk.example"
    assert "User unknown" in bounce.diagnostic


def test_titles() -> None:
    assert title_from("RE[2]: Antw: WG: Invoice", "") == "Invoice"
    assert title_from("Re: Fwd: RE: sv: Order 12 [#4-0123456789abcdef]", "") == "Order 12"
    assert title_from("", "\n\n  First line here \nsecond") == "First line here"
    assert title_from("   ", "") == "(no subject)"
    assert len(title_from("x" * 500, "")) == 200


def test_a_message_that_is_all_quote_keeps_its_text() -> None:
    assert trim_reply("> only a quote\n> nothing else") != ""


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_parse_never_raises_on_arbitrary_bytes(raw: bytes) -> None:
    parse(raw)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_parse_never_raises_on_arbitrary_headers(subject: str, sender: str) -> None:
    raw = f"From: {sender}\r\nSubject: {subject}\r\n\r\nbody".encode("utf-8", "surrogatepass")
    parse(raw)
