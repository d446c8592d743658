"""Reading a deputy's e-mail reply: the reply address, and the answer's text out of one RFC 822 message.

The mail of a published question to a deputy (deputies/notifications.py) says "reply to this message"; its
Reply-To is `answers+<token>@<OVERSIGHT_MAIL_DOMAIN>`, where the token is the question's number and an HMAC of it
under the portal's secret key (`django.utils.crypto.salted_hmac`): lower-case hex, so a mail server that folds the
local part's case breaks nothing, 24 hex digits (96 bits), so it cannot be guessed, and nothing else, so it cannot
be forged for another question. Expiry is not in the token: a question takes e-mail answers for
OVERSIGHT_DEPUTY_REPLY_DAYS after its publication (deputies/services.py).

The message is parsed with the standard library's `email` package (policy `default`, which decodes RFC 2047
encoded headers and the parts' transfer encodings and charsets). No third-party parser: `mail-parser` and
`flanker` wrap the same package, and the reply-stripping libraries (`email_reply_parser`, `talon`) know English and
a few western clients, not the Russian and Kazakh reply headers our deputies' clients write; the few rules below
cover those and the portal's own marker line, which is what matters here.

What is kept of a reply: the text/plain part, else the text of the text/html part (tags dropped, quoted
blockquotes dropped); then everything from the first of these lines on is cut: the marker line the portal put
above the question ("### …"), a reply header ("On … wrote:", "… написал(а):", "… жазды:", "-----Original
Message-----", "-----Исходное сообщение-----", an Outlook "From:/От:/Кімнен:" block), the signature separator
"-- ", and "Sent from my …" lines; lines quoted with ">" are dropped wherever they are. Attachments are never kept:
an answer on the portal is text (the count of dropped attachments is recorded for the moderators).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses
from html.parser import HTMLParser

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

TOKEN_SALT = "deputies.inbound.reply-address"  # noqa: S105 - an HMAC salt, not a secret
LOCAL_PREFIX = "answers+"
MARKER = "### "
_TOKEN_RE = re.compile(r"^(\d{1,12})-([0-9a-f]{24})$")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DEVICES = "|".join(
    ("iphone", "ipad", "android", "galaxy", "samsung", "huawei", "xiaomi", "yandex", "яндекс", "mail\\.ru", "outlook")
    + ("почты", "мобильного", "телефона", "смартфона")
)
# Lines from which the rest is the quoted original or a signature (matched on the stripped line).
_CUT_LINES = (
    re.compile(r"^###\s"),  # the portal's own marker line
    re.compile(r"^-- ?$"),  # RFC 3676 signature separator
    re.compile(
        r"^-{2,}\s*(original message|исходное сообщение|пересылаемое сообщение|бастапқы хабарлама)\s*-{2,}$", re.I
    ),
    re.compile(r"^(on\s.+wrote:|.+\bwrote:)$", re.I),
    re.compile(r"^.+(написал|написала|написал\(а\)|пишет|жазды)\s*:$", re.I),
    re.compile(r"^(from|от|кімнен)\s*:\s*.+", re.I),
    # A phone's or a program's signature, never a sentence of an answer ("…жіберілді" alone could be one).
    re.compile(rf"^(sent from my|(отправлено|отправлено с|отправлено из)\s+(моего\s+)?({_DEVICES}))", re.I),
    re.compile(rf"^\S*({_DEVICES})\S*\s+(\S+\s+)?жіберілді\.?$", re.I),
)


def reply_token(question_id: int) -> str:
    digest = salted_hmac(TOKEN_SALT, str(question_id), algorithm="sha256").hexdigest()[:24]
    return f"{question_id}-{digest}"


def reply_address(question_id: int) -> str:
    """The question's reply address, or "" when OVERSIGHT_MAIL_DOMAIN is not set (no e-mail path)."""
    domain = getattr(settings, "OVERSIGHT_MAIL_DOMAIN", "")
    if not domain:
        return ""
    return f"{LOCAL_PREFIX}{reply_token(question_id)}@{domain}"


def question_id_from_token(token: str) -> int | None:
    """The question a token names, if its HMAC is right; None for anything forged, truncated or malformed."""
    match = _TOKEN_RE.match(token.strip().lower())
    if match is None:
        return None
    question_id = int(match.group(1))
    if not constant_time_compare(reply_token(question_id), match.group(0)):
        return None
    return question_id


def token_from_address(address: str) -> str | None:
    """`answers+<token>@<our domain>` → token; None for any other address."""
    domain = getattr(settings, "OVERSIGHT_MAIL_DOMAIN", "")
    local, _, host = address.strip().strip("<>").rpartition("@")
    if not domain or host.lower() != domain or not local.lower().startswith(LOCAL_PREFIX):
        return None
    return local[len(LOCAL_PREFIX) :].lower()


class _TextFromHTML(HTMLParser):
    """The visible text of an HTML mail: no tags, no script/style, no quoted blockquotes; blocks end lines."""

    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"})
    SKIP = frozenset({"script", "style", "head", "title", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextFromHTML()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return "\n".join(lines)


def strip_reply(text: str) -> str:
    """The new text of a reply: quoted lines, the quoted original and the signature removed."""
    kept: list[str] = []
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))  # NUL cannot be stored
    for raw in text.split("\n"):
        line = raw.rstrip()
        stripped = line.strip()
        if any(pattern.match(stripped) for pattern in _CUT_LINES):
            break
        if stripped.startswith(">"):
            continue
        kept.append(line)
    result = "\n".join(kept).strip()
    return re.sub(r"\n{3,}", "\n\n", result)


@dataclass(frozen=True)
class ParsedReply:
    sender: str  # the From address, lower-case; "" when there is none or several
    recipients: list[str]  # every address the message was sent to (To, Cc, Delivered-To, X-Original-To)
    text: str  # the answer, stripped
    message_id: str
    attachments: int


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    if part is not None:
        return str(part.get_content())
    part = message.get_body(preferencelist=("html",))
    if part is not None:
        return html_to_text(str(part.get_content()))
    return ""


def _attachments(message: Message) -> int:
    return sum(1 for part in message.walk() if part.get_content_disposition() == "attachment")


def parse_reply(raw: bytes) -> ParsedReply:
    """Parse one RFC 822 message. Never raises on malformed input: what cannot be read is empty."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)  # policy.default builds EmailMessage
    senders: list[str] = []
    try:
        for address in getattr(message["from"], "addresses", ()) or ():
            if isinstance(address, Address) and address.addr_spec:
                senders.append(address.addr_spec.lower())
    except Exception:  # noqa: BLE001 - a header the registry cannot read is no sender
        senders = []
    recipients: list[str] = []
    for header in ("to", "cc", "delivered-to", "x-original-to", "envelope-to"):
        for value in message.get_all(header, []):
            parsed = getattr(value, "addresses", None)  # an address header of the registry
            if parsed is not None:
                recipients.extend(a.addr_spec.lower() for a in parsed if a.addr_spec)
            else:
                recipients.extend(addr.lower() for _, addr in getaddresses([str(value)]) if addr)
    try:
        text = strip_reply(_body_text(message))
    except (LookupError, ValueError, AttributeError):  # an unknown charset, a broken part
        text = ""
    return ParsedReply(
        sender=senders[0] if len(senders) == 1 else "",
        recipients=recipients,
        text=text,
        message_id=str(message.get("message-id", ""))[:255],
        attachments=_attachments(message),
    )
