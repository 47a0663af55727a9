import base64
import codecs
import logging

from odoo import api, models
from odoo.tools import html2plaintext

_logger = logging.getLogger(__name__)

# Tried in this order on a text part whose charset Python does not know:
# UTF-8 is unambiguous when it decodes; cp1252 and latin-1 are what most mail
# clients mislabel. latin-1 maps every byte, the last entry is a safety net.
UNKNOWN_CHARSET_FALLBACKS = ("utf-8", "cp1252", "latin-1")
ORIGINAL_EML_NAME = "original_email.eml"


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_parse(self, message, save_original=False):
        # A text part declaring a charset Python does not know makes the
        # gateway crash while decoding it (LookupError), losing the mail (a
        # complaint sent to the team alias, for instance).
        for part in message.walk():
            self._complaint_fix_unknown_charset(message, part)
        msg_dict = super().message_parse(message, save_original=save_original)
        self._complaint_keep_unreadable_original(message, msg_dict)
        return msg_dict

    @api.model
    def _complaint_fix_unknown_charset(self, message, part):
        """Re-encode a text part with an unknown charset as UTF-8, decoded
        with the first fallback that reads it strictly, so accents survive
        (replacement characters only if none does)."""
        charset = part.get_param("charset")
        if not charset or not isinstance(charset, str) or part.is_multipart():
            return
        try:
            codecs.lookup(charset)
            return
        except LookupError:
            pass
        data = part.get_payload(decode=True) or b""
        for fallback in UNKNOWN_CHARSET_FALLBACKS:
            try:
                text = data.decode(fallback)
                break
            except UnicodeDecodeError:
                continue
        else:
            fallback = "utf-8 (replaced)"
            text = data.decode("utf-8", errors="replace")
        _logger.warning(
            "Message %s: unknown charset %r, decoded as %s",
            message.get("Message-Id"),
            charset,
            fallback,
        )
        # Body re-encoded in base64 so the headers stay true to the payload.
        del part["Content-Transfer-Encoding"]
        part["Content-Transfer-Encoding"] = "base64"
        part.set_param("charset", "utf-8")
        part.set_payload(base64.encodebytes(text.encode()).decode("ascii"))

    @api.model
    def _complaint_keep_unreadable_original(self, message, msg_dict):
        """Attach the original e-mail when it has content but no text could
        be extracted (a multipart with a broken boundary, for instance): the
        gateway would otherwise keep nothing of what the sender wrote."""
        attachments = msg_dict.setdefault("attachments", [])
        if html2plaintext(msg_dict.get("body") or "").strip():
            return
        if any(attachment[0] == ORIGINAL_EML_NAME for attachment in attachments):
            return
        defects = any(part.defects for part in message.walk())
        has_content = any(
            isinstance(part.get_payload(), str) and part.get_payload().strip()
            for part in message.walk()
        )
        if not has_content or (attachments and not defects):
            # Empty, or attachments only: nothing was lost.
            return
        _logger.warning(
            "Message %s: no text could be extracted, original e-mail attached",
            message.get("Message-Id"),
        )
        try:
            original = message.as_bytes()
        except (UnicodeError, LookupError):
            original = message.as_string().encode(errors="replace")
        attachments.append(self._Attachment(ORIGINAL_EML_NAME, original, {}))
