"""Complaints opened from survey responses (see survey_user_input.py): the
link to the response, and the respondent's customer."""

from odoo import api, fields, models
from odoo.tools import email_normalize


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    complaint_survey_input_id = fields.Many2one(
        comodel_name="survey.user_input",
        string="Survey response",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The survey response that opened this complaint.",
    )

    _sql_constraints = [
        (
            "complaint_survey_input_unique",
            "UNIQUE (complaint_survey_input_id)",
            "A survey response opens one complaint only.",
        ),
    ]

    @api.model
    def _complaint_survey_partner(self, user_input):
        """(partner, to_review) of the respondent of `user_input`: its contact
        unless an employee's (one filling in for a customer), else the
        customer with its e-mail, else a new contact to review. Never drops
        the response for want of a customer."""
        partner = user_input.partner_id
        if partner and not partner.user_ids.filtered(lambda u: not u.share):
            return partner, False
        email = email_normalize(user_input.email or "") or False
        match = self.sudo()._complaint_match_partner(email) if email else None
        if match:
            return match, False
        name = user_input.nickname or email or self.env._("Unknown survey respondent")
        comment = self.env._(
            "Created from a response to the survey %(survey)s that gave no "
            "known customer (e-mail: %(email)s). Check it against the "
            "existing customers.",
            survey=user_input.survey_id.title,
            email=user_input.email or "-",
        )
        contact = (
            self.env["res.partner"]
            .sudo()
            .create({"name": name, "email": email, "comment": comment})
        )
        return contact, True

    def _complaint_survey_review_activities(self):
        """One activity per complaint for its company's complaint reviewer
        (default the officer), created in batch with the chatter notes."""
        alerts = []
        for complaint in self:
            reviewer = complaint._complaint_company()._complaint_reviewer()
            user = reviewer.with_context(lang=reviewer.lang or self.env.lang)
            alerts.append(
                (
                    complaint,
                    reviewer,
                    user.env._("Review the complaint opened from a survey"),
                    user.env._(
                        "Opened from a response to the survey %(survey)s.",
                        survey=complaint.sudo().complaint_survey_input_id.survey_id.title,
                    ),
                )
            )
        if alerts:
            self._complaint_create_alerts(alerts)
