import codecs
import logging

from odoo import api, models

_logger = logging.getLogger(__name__)


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_parse(self, message, save_original=False):
        # A text part declaring a charset Python does not know makes the
        # gateway crash while decoding it (LookupError), losing the mail (a
        # complaint sent to the team alias, for instance). Decode such parts
        # as UTF-8 with replacement characters instead, and log it.
        for part in message.walk():
            charset = part.get_param("charset")
            if not charset or not isinstance(charset, str):
                continue
            try:
                codecs.lookup(charset)
            except LookupError:
                _logger.warning(
                    "Message %s: unknown charset %r, decoded as UTF-8",
                    message.get("Message-Id"),
                    charset,
                )
                part.set_param("charset", "utf-8")
        return super().message_parse(message, save_original=save_original)
