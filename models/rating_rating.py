from odoo import api, models


class RatingRating(models.Model):
    """Every way a customer rates ends in a rating.rating write or create
    (the /rate/<token> pages through rating_apply, a rating posted in the
    chatter, an employee applying one): complaints hear of them here."""

    _inherit = "rating.rating"

    @api.model_create_multi
    def create(self, vals_list):
        ratings = super().create(vals_list)
        ratings._complaint_notify_tickets()
        return ratings

    def write(self, vals):
        res = super().write(vals)
        if "rating" in vals or vals.get("consumed"):
            self._complaint_notify_tickets()
        return res

    def _complaint_notify_tickets(self):
        """Pass the given ratings of tickets on: {ticket id: rating} (the
        last one when a ticket has several)."""
        given = self.filtered(
            lambda r: r.res_model == "helpdesk.ticket"
            and r.consumed
            and r.rating >= 1
            and r.res_id
        )
        if not given:
            return
        values = {rating.res_id: rating for rating in given}
        tickets = self.env["helpdesk.ticket"].sudo().browse(list(values)).exists()
        tickets._complaint_rating_received(values)
