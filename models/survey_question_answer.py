from odoo import fields, models


class SurveyQuestionAnswer(models.Model):
    _inherit = "survey.question.answer"

    complaint_trigger = fields.Boolean(
        string="Opens a complaint",
        help="Choosing this answer opens a complaint (the survey must open "
        "complaints).",
    )
