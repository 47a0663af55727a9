from odoo import api, fields, models
from odoo.osv.expression import OR

from ..const import PLATE_SEPARATORS


def normalize_plate(plate):
    """License plate without spaces, dashes or dots, upper case: the form plates
    are compared in ("1-abc-234", "1 ABC 234" and "1ABC234" are one plate)."""
    return PLATE_SEPARATORS.sub("", plate or "").upper() or False


class FleetVehicle(models.Model):
    _inherit = "fleet.vehicle"

    license_plate_normalized = fields.Char(
        string="Normalized license plate",
        compute="_compute_license_plate_normalized",
        store=True,
        index="btree_not_null",
        help="License plate without spaces, dashes and dots, in upper case: "
        "e-mails and portal input are matched on it.",
    )

    complaint_ids = fields.One2many(
        comodel_name="helpdesk.ticket",
        inverse_name="vehicle_id",
        string="Complaints",
    )
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    @api.depends("license_plate")
    def _compute_license_plate_normalized(self):
        for vehicle in self:
            vehicle.license_plate_normalized = normalize_plate(vehicle.license_plate)

    @api.model
    def _search_display_name(self, operator, value):
        """A plate is found however it is typed, in part too: ``47krs``,
        ``LJ47KRS`` and ``lj 47-krs`` find ``LJ 47-KRS``."""
        domain = super()._search_display_name(operator, value)
        if operator in ("ilike", "=ilike") and isinstance(value, str):
            plate = normalize_plate(value)
            if plate:
                domain = OR([domain, [("license_plate_normalized", "ilike", plate)]])
        return domain

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
