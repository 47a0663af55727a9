"""Letter types: the fixed, translatable text fragments of the letters sent to
complaint customers, with placeholders filled from the complaint."""

import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html_sanitize, is_html_empty
from odoo.tools.rendering_tools import parse_inline_template
from odoo.tools.safe_eval import test_python_expr

from ..const import COMPLAINT_STATES, GROUP_MANAGER

LETTER_FRAGMENTS = ("opening", "body", "closing")


class HelpdeskComplaintLetterType(models.Model):
    """Rendered like mail templates (``mail.render.mixin``, inline_template
    engine, ``object`` = the complaint), in the customer's language. Only
    complaint managers write types, so rendering is unrestricted for the
    handlers who print letters (as for mail.template)."""

    _name = "helpdesk.complaint.letter.type"
    _inherit = ["mail.render.mixin"]
    _description = "Complaint Letter Type"
    _order = "sequence, id"
    _unrestricted_rendering = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Technical identifier, unique per company, for integrations.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(comodel_name="res.company")
    complaint_state = fields.Selection(
        selection=COMPLAINT_STATES,
        string="Default for review state",
        help="The letter dialog proposes this type for complaints in this "
        "review state.",
    )
    show_details = fields.Boolean(
        string="Show complaint details",
        default=True,
        help="Print the complaint number, date, vehicle, outcome and corrective "
        "action between the text and the closing.",
    )
    opening = fields.Html(
        translate=True,
        sanitize=True,
        help="Greeting and first paragraph. Placeholders such as "
        "{{ object.partner_id.name }} or {{ object.number }} are filled from "
        "the complaint.",
    )
    body = fields.Html(translate=True, sanitize=True)
    closing = fields.Html(translate=True, sanitize=True)

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique (code, company_id)",
            "A letter type with this code already exists.",
        )
    ]

    def _compute_render_model(self):
        self.render_model = "helpdesk.ticket"

    def _check_access_right_dynamic_template(self):
        """Complaints managers, the only ones allowed to write letter types
        (access rights), may use any placeholder in them; the expressions
        still run in Odoo's sandbox, on the complaint only."""
        if self.env.user.has_group(GROUP_MANAGER):
            return
        super()._check_access_right_dynamic_template()

    # -- placeholders ----------------------------------------------------------
    @api.constrains(*LETTER_FRAGMENTS)
    def _check_placeholders(self):
        """Refuse a fragment whose placeholder could never be filled, when it is
        saved rather than when a handler prints a letter."""
        for letter_type in self:
            for fname in LETTER_FRAGMENTS:
                error = letter_type._complaint_placeholder_error(letter_type[fname])
                if error:
                    raise ValidationError(
                        self.env._(
                            "The %(fragment)s of letter type %(type)s has a wrong "
                            "placeholder: %(error)s",
                            fragment=self._fields[fname]._description_string(self.env),
                            type=letter_type.name,
                            error=error,
                        )
                    )

    def _complaint_placeholder_error(self, text):
        """Why a fragment's placeholders are wrong ("" when they are fine):
        unbalanced braces or an expression that is not valid Python."""
        text = str(text or "")
        if text.count("{{") != text.count("}}"):
            return self.env._("a {{ is not closed by }} or the other way round")
        for _literal, expression, _default in parse_inline_template(text):
            if expression and test_python_expr(expression, mode="eval"):
                return expression
        return ""

    # -- rendering -------------------------------------------------------------
    def _complaint_render(self, tickets):
        """{ticket id: {"text", "closing", "show_details"}}: the fragments
        filled for each complaint, in its customer's language."""
        self.ensure_one()
        result = {}
        by_lang = tickets.grouped(lambda t: t.partner_id.lang or self.env.lang)
        for lang, group in by_lang.items():
            rendered = {
                fname: self._complaint_render_fragment(fname, group, lang)
                for fname in LETTER_FRAGMENTS
            }
            for ticket in group:
                result[ticket.id] = {
                    "text": self._complaint_join_html(
                        rendered["opening"][ticket.id], rendered["body"][ticket.id]
                    ),
                    "closing": self._complaint_join_html(
                        rendered["closing"][ticket.id]
                    ),
                    "show_details": self.show_details,
                }
        return result

    def _complaint_render_fragment(self, fname, tickets, lang):
        """One fragment rendered on ``tickets`` in ``lang``; a placeholder that
        fails becomes an error naming the type and the fragment."""
        try:
            return self._render_field(fname, tickets.ids, set_lang=lang)
        except AccessError:
            raise
        except (UserError, ValueError, SyntaxError) as error:
            cause = error.__cause__ or error
            raise UserError(
                self.env._(
                    "The %(fragment)s of letter type %(type)s could not be filled "
                    "in for complaint %(number)s: %(error)s. Correct the "
                    "placeholder in the letter type.",
                    fragment=self._fields[fname]._description_string(self.env),
                    type=self.with_context(lang=lang).name,
                    number=tickets[:1].number,
                    error=re.sub(r"\s+", " ", str(cause)).strip()[:200],
                )
            ) from error

    @api.model
    def _complaint_join_html(self, *parts):
        """Sanitized concatenation of the non-empty rendered parts (values of
        placeholders are inserted as they are, the sanitizer keeps them
        harmless)."""
        return html_sanitize(
            "".join(str(part) for part in parts if not is_html_empty(part))
        )
