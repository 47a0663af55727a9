"""Letters to the customer of a complaint: the letter dialog, what the letter
report prints, and the file of letters sent kept on the chatter."""

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import html_sanitize

LETTER_REPORT = "helpdesk_mgmt_complaint.report_complaint_letter"


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def action_complaint_print_letter(self):
        """The *Print letter* button: the letter dialog (type, last edit,
        print and keep on the chatter)."""
        return self._complaint_open_wizard(
            "helpdesk.complaint.letter.wizard", self.env._("Letter to the customer")
        )

    def _complaint_letter_types(self):
        """Active letter types usable for this complaint's company."""
        self.ensure_one()
        return self.env["helpdesk.complaint.letter.type"].search(
            [("company_id", "in", [False, self.company_id.id])]
        )

    def _complaint_default_letter_type(self):
        """The type proposed for this complaint: the first one meant for its
        review state, else the first one."""
        types = self._complaint_letter_types()
        return (
            types.filtered(lambda t: t.complaint_state == self.complaint_state)[:1]
            or types[:1]
        )

    def _complaint_letter_values(self, letters=None):
        """What the letter report prints for this complaint: the text edited in
        the letter dialog (``letters``, by complaint id, passed as report data)
        or, printed from the *Print* menu, its default type rendered now."""
        self.ensure_one()
        letters = letters or {}
        letter = letters.get(self.id) or letters.get(str(self.id))
        if not letter:
            letter_type = self._complaint_default_letter_type()
            letter = letter_type._complaint_render(self)[self.id] if letter_type else {}
        lang = self.partner_id.lang or self.env.lang
        return {
            "text": html_sanitize(letter.get("text") or ""),
            "closing": html_sanitize(letter.get("closing") or ""),
            "show_details": letter.get("show_details", True),
            "direction": self.env["res.lang"]._get_data(code=lang).direction or "ltr",
        }

    def _complaint_post_letter(self, pdf, letter_type=None, to_customer=False):
        """Keep the printed letter ``pdf`` on the complaint(s)' chatter, as an
        internal note or as a message e-mailed to the customer. Returns the
        messages."""
        no_email = to_customer and self.filtered(lambda t: not t.partner_id.email)
        if no_email:
            raise UserError(
                self.env._(
                    "The customer of complaint %(number)s has no e-mail address: "
                    "keep the letter as an internal note, or add the address "
                    "first.",
                    number=no_email[0].number,
                )
            )
        messages = self.env["mail.message"]
        for ticket in self:
            name = self.env._("Letter %(number)s.pdf", number=ticket.number)
            if letter_type:
                body = self.env._(
                    "Letter to the customer printed: %(type)s.",
                    type=letter_type.with_context(
                        lang=ticket.partner_id.lang or self.env.lang
                    ).name,
                )
            else:
                body = self.env._("Letter to the customer printed.")
            if to_customer:
                customer_env = ticket.with_context(
                    lang=ticket.partner_id.lang or self.env.lang
                ).env
                messages |= ticket.message_post(
                    body=customer_env._(
                        "Please find attached our letter about your complaint "
                        "%(number)s.",
                        number=ticket.number,
                    ),
                    attachments=[(name, pdf)],
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    partner_ids=ticket.partner_id.ids,
                )
            else:
                messages |= ticket.message_post(
                    body=body,
                    attachments=[(name, pdf)],
                    subtype_xmlid="mail.mt_note",
                )
        return messages
