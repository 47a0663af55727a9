from odoo import fields, models


class FleetVehicle(models.Model):
    _inherit = "fleet.vehicle"

    complaint_ids = fields.One2many(
        comodel_name="helpdesk.ticket",
        inverse_name="vehicle_id",
        string="Complaints",
    )
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        groups = self.env["helpdesk.ticket"]._read_group(
            [("is_complaint", "=", True), ("vehicle_id", "in", self.ids)],
            ["vehicle_id"],
            ["__count"],
        )
        counts = {vehicle.id: count for vehicle, count in groups}
        for vehicle in self:
            vehicle.complaint_count = counts.get(vehicle.id, 0)

    def action_view_complaints(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._complaint_action(
            [("vehicle_id", "=", self.id)],
            vehicle_id=self.id,
            partner_id=self.driver_id.id,
        )
