from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    complaint_warranty_months = fields.Integer(
        string="Warranty (months)",
        help="Warranty period from the sale date. Complaints about this product "
        "are under warranty when registered before the sale date plus this "
        "period; 0: unknown (no warranty state is given).",
    )
