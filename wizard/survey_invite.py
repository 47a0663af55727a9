from odoo import fields, models


class SurveyInvite(models.TransientModel):
    _inherit = "survey.invite"

    survey_complaint_source = fields.Boolean(related="survey_id.is_complaint_source")
    complaint_vehicle_id = fields.Many2one(
        comodel_name="fleet.vehicle",
        string="About vehicle",
        help="The responses remember this vehicle: a complaint they open is "
        "about it.",
    )
    complaint_product_id = fields.Many2one(
        comodel_name="product.product",
        string="About product",
        help="The responses remember this product: a complaint they open is "
        "about it.",
    )

    def _get_answers_values(self):
        values = super()._get_answers_values()
        if self.complaint_vehicle_id:
            values["complaint_vehicle_id"] = self.complaint_vehicle_id.id
        if self.complaint_product_id:
            values["complaint_product_id"] = self.complaint_product_id.id
        return values
