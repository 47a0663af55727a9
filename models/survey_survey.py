from odoo import fields, models


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    is_complaint_source = fields.Boolean(
        string="Opens complaints",
        help="A completed response that picks an answer flagged 'Opens a "
        "complaint', or gives a value at or below a question's complaint "
        "threshold, opens one complaint for the respondent.",
    )
    complaint_team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        string="Complaint team",
        domain="[('is_complaint', '=', True)]",
        help="Team of the complaints opened from this survey. Empty: the "
        "first complaint team.",
    )
