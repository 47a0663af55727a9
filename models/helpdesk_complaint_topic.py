from odoo import fields, models


class HelpdeskComplaintTopic(models.Model):
    _name = "helpdesk.complaint.topic"
    _description = "Complaint Topic"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(comodel_name="res.company")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique (name, company_id)",
            "A complaint topic with this name already exists.",
        )
    ]
