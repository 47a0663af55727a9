"""A completed response to a survey that opens complaints creates one
complaint (source Survey) when an answer flagged 'Opens a complaint' is
chosen or a numerical/scale answer is at or below its question's threshold;
the complaint reviewer gets an activity."""

import logging

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..const import GROUP_OPEN

_logger = logging.getLogger(__name__)


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    complaint_vehicle_id = fields.Many2one(
        comodel_name="fleet.vehicle",
        string="About vehicle",
        readonly=True,
        index="btree_not_null",
        help="The vehicle the survey was sent about: the complaint it opens "
        "is about this vehicle.",
    )
    complaint_product_id = fields.Many2one(
        comodel_name="product.product",
        string="About product",
        readonly=True,
        help="The product the survey was sent about: the complaint it opens "
        "is about this product.",
    )
    complaint_ids = fields.One2many(
        comodel_name="helpdesk.ticket",
        inverse_name="complaint_survey_input_id",
        string="Complaints",
        context={"active_test": False},
    )
    complaint_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        compute="_compute_complaint_id",
        compute_sudo=True,
        help="The complaint this response opened.",
    )

    @api.depends("complaint_ids")
    def _compute_complaint_id(self):
        for user_input in self:
            user_input.complaint_id = user_input.complaint_ids[:1]

    def _mark_done(self):
        res = super()._mark_done()
        self._complaint_open_from_responses()
        return res

    # -- triggers ------------------------------------------------------------
    def _complaint_trigger_lines(self):
        """The answer lines of this response that open a complaint."""
        self.ensure_one()
        return self.user_input_line_ids.filtered(
            lambda line: (
                line.suggested_answer_id.complaint_trigger
                if line.answer_type == "suggestion"
                else line.question_id._complaint_threshold_hit(line)
            )
        )

    def _complaint_answers_html(self, triggers):
        """The answers as escaped HTML, those opening the complaint marked."""
        self.ensure_one()
        items = []
        lines = self.user_input_line_ids.sorted(
            lambda line: (line.question_sequence, line.question_id.id, line.id)
        )
        for question, answers in lines.grouped("question_id").items():
            texts = []
            for line in answers:
                text = self._complaint_line_text(line)
                if line.matrix_row_id:
                    text = f"{line.matrix_row_id.value}: {text}"
                if line in triggers:
                    text = Markup("<b>%s</b> %s") % (
                        text,
                        self.env._("(opens a complaint)"),
                    )
                texts.append(text)
            items.append(
                Markup("<li>%s: %s</li>") % (question.title, Markup(", ").join(texts))
            )
        return Markup("<ul>%s</ul>") % Markup().join(items)

    def _complaint_line_text(self, line):
        """An answer as text, free texts in full (display_name shortens)."""
        if line.skipped:
            return self.env._("(skipped)")
        if line.answer_type == "text_box":
            return line.value_text_box or ""
        if line.answer_type == "char_box":
            return line.value_char_box or ""
        return line.display_name

    def _complaint_values(self, triggers):
        """Values of the complaint this response opens."""
        self.ensure_one()
        Ticket = self.env["helpdesk.ticket"]
        survey = self.survey_id
        team = survey.complaint_team_id or Ticket._complaint_intake_team()
        partner, to_review = Ticket._complaint_survey_partner(self)
        channel = self.env.ref(
            "helpdesk_mgmt_complaint.helpdesk_ticket_channel_survey",
            raise_if_not_found=False,
        )
        intro = Markup("<p>%s</p>") % self.env._(
            "Response to the survey %(survey)s, completed on %(date)s:",
            survey=survey.title,
            date=fields.Datetime.to_string(self.end_datetime or fields.Datetime.now()),
        )
        return {
            "name": self.env._(
                "Survey %(survey)s: %(customer)s",
                survey=survey.title,
                customer=partner.name,
            ),
            "description": intro + self._complaint_answers_html(triggers),
            "is_complaint": True,
            "team_id": team.id,
            "company_id": (team.company_id or self.env.company).id,
            "partner_id": partner.id,
            "partner_name": partner.name,
            "partner_email": partner.email or self.email or False,
            "complaint_sender": (self.email or "")[:512] or False,
            "complaint_sender_review": to_review,
            "channel_id": channel.id if channel else False,
            "complaint_survey_input_id": self.id,
            "vehicle_id": self.complaint_vehicle_id.id,
            "product_id": self.complaint_product_id.id,
        }

    # -- opening ---------------------------------------------------------------
    def _complaint_open_from_responses(self, force=False):
        """Open the complaints of the completed responses in `self` that hit
        a trigger (all of them with `force`), one per response: a response
        that already opened one (even archived) opens none. A response whose
        complaint cannot be created is logged on its chatter, the others
        still open theirs."""
        inputs = self.sudo().with_context(active_test=False)
        inputs = inputs.filtered(
            lambda i: i.state == "done"
            and not i.complaint_ids
            and (force or (i.survey_id.is_complaint_source and not i.test_entry))
        )
        todo = []
        for user_input in inputs:
            triggers = user_input._complaint_trigger_lines()
            if triggers or force:
                todo.append((user_input, triggers))
        Ticket = self.env["helpdesk.ticket"].sudo()
        if not todo:
            return Ticket
        vals_list = [ui._complaint_values(triggers) for ui, triggers in todo]
        try:
            with self.env.cr.savepoint():
                complaints = Ticket.create(vals_list)
        except psycopg2.OperationalError:
            raise
        except Exception:  # noqa: BLE001 - retried one by one below
            complaints = self._complaint_open_one_by_one(todo, vals_list)
        complaints._complaint_survey_review_activities()
        return complaints

    def _complaint_open_one_by_one(self, todo, vals_list):
        """Create the complaints one by one, logging those that fail on
        their response's chatter (they can be opened from its form)."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        complaints = Ticket
        for (user_input, _triggers), vals in zip(todo, vals_list, strict=True):
            try:
                with self.env.cr.savepoint():
                    complaints |= Ticket.create(vals)
            except psycopg2.OperationalError:
                raise
            except Exception as error:  # noqa: BLE001 - logged, not lost
                _logger.exception(
                    "Survey response %s: the complaint could not be opened",
                    user_input.id,
                )
                user_input._message_log(
                    body=self.env._(
                        "This response should have opened a complaint, but "
                        "it could not be created: %(error)s. Open it with "
                        "the Open complaint button.",
                        error=str(error),
                    )
                )
        return complaints

    def action_complaint_open(self):
        """Open a complaint from this response by hand (e.g. a comment the
        triggers did not catch), or retry one that failed."""
        self.ensure_one()
        if not self.env.user.has_group(GROUP_OPEN):
            raise AccessError(self.env._("You are not allowed to open complaints."))
        complaint = self.complaint_id or self._complaint_open_from_responses(force=True)
        return self._complaint_view_action(complaint)

    def action_complaint_view(self):
        self.ensure_one()
        return self._complaint_view_action(self.complaint_id)

    def _complaint_view_action(self, complaint):
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": complaint.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
