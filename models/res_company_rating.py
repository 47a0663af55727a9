from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..const import DEFAULT_POOR_RATING, HOT_ACTIONS


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_rating_poor_max = fields.Integer(
        string="Poor rating up to",
        default=DEFAULT_POOR_RATING,
        help="A rating of a closed complaint at or under this value (of 5) "
        "raises a hot alert. 0 disables hot alerts.",
    )
    complaint_hot_action = fields.Selection(
        selection=HOT_ACTIONS,
        string="On a poor rating",
        default="reopen",
        required=True,
        help="Reopen the complaint, or open a linked follow-up complaint and "
        "leave the rated one closed.",
    )

    @api.constrains("complaint_rating_poor_max")
    def _check_complaint_rating_poor_max(self):
        for company in self:
            if not 0 <= company.complaint_rating_poor_max <= 4:
                raise ValidationError(
                    self.env._(
                        "The poor rating threshold must be between 0 (no hot "
                        "alerts) and 4 (ratings are out of 5)."
                    )
                )
