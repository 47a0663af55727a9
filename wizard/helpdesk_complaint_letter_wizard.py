from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty

from ..models.helpdesk_ticket_letter import LETTER_REPORT


class HelpdeskComplaintLetterWizard(models.TransientModel):
    """Letter to the customer: pick a type, edit its text rendered in the
    customer's language, print it; the PDF is kept on the complaint's
    chatter (internal note or e-mailed to the customer), so the complaint
    holds the full file of letters sent."""

    _name = "helpdesk.complaint.letter.wizard"
    _description = "Complaint Letter"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="ticket_id.company_id")
    partner_id = fields.Many2one(related="ticket_id.partner_id", string="Customer")
    lang = fields.Selection(
        related="ticket_id.partner_id.lang", string="Customer language"
    )
    letter_type_id = fields.Many2one(
        comodel_name="helpdesk.complaint.letter.type",
        string="Letter type",
        compute="_compute_letter_type_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        domain="[('company_id', 'in', [False, company_id])]",
    )
    text = fields.Html(
        string="Letter text",
        compute="_compute_text",
        store=True,
        precompute=True,
        readonly=False,
        sanitize=True,
    )
    closing = fields.Html(
        compute="_compute_text",
        store=True,
        precompute=True,
        readonly=False,
        sanitize=True,
    )
    show_details = fields.Boolean(
        string="Show complaint details",
        compute="_compute_text",
        store=True,
        precompute=True,
        readonly=False,
    )
    post_as = fields.Selection(
        selection=[
            ("note", "Internal note"),
            ("customer", "Message e-mailed to the customer"),
        ],
        string="Keep on the complaint as",
        required=True,
        default="note",
    )

    @api.depends("ticket_id")
    def _compute_letter_type_id(self):
        for wizard in self:
            wizard.letter_type_id = wizard.ticket_id._complaint_default_letter_type()

    @api.depends("letter_type_id")
    def _compute_text(self):
        for wizard in self:
            letter = {}
            if wizard.letter_type_id and wizard.ticket_id:
                letter = wizard.letter_type_id._complaint_render(wizard.ticket_id)[
                    wizard.ticket_id.id
                ]
            wizard.text = letter.get("text", False)
            wizard.closing = letter.get("closing", False)
            wizard.show_details = letter.get("show_details", True)

    def _complaint_letter_data(self):
        """Report data printing exactly the edited text."""
        self.ensure_one()
        return {
            "complaint_letters": {
                self.ticket_id.id: {
                    "text": str(self.text or ""),
                    "closing": str(self.closing or ""),
                    "show_details": self.show_details,
                }
            }
        }

    def action_print(self):
        """Render the PDF, keep it on the complaint's chatter and open it in a
        new tab (the dialog closes)."""
        self.ensure_one()
        if is_html_empty(self.text):
            raise UserError(
                self.env._("The letter has no text: choose a letter type or write it.")
            )
        pdf, _report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            LETTER_REPORT, self.ticket_id.ids, data=self._complaint_letter_data()
        )
        message = self.ticket_id._complaint_post_letter(
            pdf,
            letter_type=self.letter_type_id,
            to_customer=self.post_as == "customer",
        )
        attachment = message.attachment_ids[:1]
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}",
            "target": "new",
            "close": True,
        }
