from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Question types whose answer is a number a threshold can compare.
COMPLAINT_THRESHOLD_TYPES = ("numerical_box", "scale")


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    complaint_source = fields.Boolean(related="survey_id.is_complaint_source")
    complaint_threshold_active = fields.Boolean(
        string="Opens a complaint at or below",
        help="A numerical or scale answer at or below the threshold opens a "
        "complaint (the survey must open complaints).",
    )
    complaint_threshold = fields.Float(
        string="Complaint threshold",
        help="Highest value that still opens a complaint (e.g. 2 on a 0-10 scale).",
    )

    @api.constrains("complaint_threshold_active", "question_type")
    def _check_complaint_threshold(self):
        for question in self.filtered("complaint_threshold_active"):
            if question.question_type not in COMPLAINT_THRESHOLD_TYPES:
                raise ValidationError(
                    self.env._(
                        "Question %(question)s: only numerical and scale "
                        "questions can open a complaint below a threshold.",
                        question=question.title,
                    )
                )

    def _complaint_threshold_hit(self, line):
        """Whether the answer `line` to this question opens a complaint."""
        self.ensure_one()
        if not self.complaint_threshold_active or line.skipped:
            return False
        if line.answer_type == "numerical_box":
            return line.value_numerical_box <= self.complaint_threshold
        if line.answer_type == "scale":
            return line.value_scale <= self.complaint_threshold
        return False
