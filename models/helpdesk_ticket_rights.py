"""Open and close rights on complaints, as transitions: whatever path changes
a ticket's (is complaint, closed), the user needs the matching right.
``create`` and ``write`` (helpdesk_ticket.py) call these."""

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError

from ..const import (
    CLOSED_STATES,
    GROUP_CLOSE,
    GROUP_OPEN,
    REVIEW_ORDER,
    RIGHTS_FIELDS,
)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    complaint_stage_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.stage",
        compute="_compute_complaint_stage_ids",
        string="Stages offered",
        help="Stages the status bar offers: the team's, without the closed "
        "ones for users without the close right (the server refuses them "
        "anyway; the bar should not offer what will be refused).",
    )

    @api.depends("team_id", "stage_id")
    @api.depends_context("uid")
    def _compute_complaint_stage_ids(self):
        can_close = self.env.su or self.env.user.has_group(GROUP_CLOSE)
        Stage = self.env["helpdesk.ticket.stage"]
        stages = Stage.search([("team_ids", "in", self.team_id.ids)])
        for ticket in self:
            offered = stages.filtered(lambda s, t=ticket: t.team_id in s.team_ids)
            if not can_close:
                offered = offered.filtered(lambda s: not s.closed)
            ticket.complaint_stage_ids = offered | ticket.stage_id

    def _complaint_check_review_order(self, stage_id):
        """Teams with "review steps cannot be skipped": a complaint moves one
        review state forward at a time (back and to Rejected always)."""
        target = self._complaint_target_stage(stage_id).complaint_state
        if not target or target == "rejected":
            return
        for ticket in self:
            if not ticket.is_complaint:
                continue
            current = ticket.complaint_state or "registered"
            if current in CLOSED_STATES and target in CLOSED_STATES:
                skipped = current != target
            elif current in CLOSED_STATES:
                skipped = False
            else:
                skipped = REVIEW_ORDER.index(target) > REVIEW_ORDER.index(current) + 1
            # The team only when a step is skipped: a move to the next step
            # (the usual one) reads no team.
            if skipped and ticket.team_id.complaint_strict_review:
                states = dict(
                    self._fields["complaint_state"]._description_selection(self.env)
                )
                following = (
                    REVIEW_ORDER[REVIEW_ORDER.index(current) + 1]
                    if current in REVIEW_ORDER[:-1]
                    else REVIEW_ORDER[0]
                )
                raise ValidationError(
                    self.env._(
                        "Complaint %(name)s cannot go from %(current)s to "
                        "%(target)s: the review steps of team %(team)s cannot be "
                        "skipped. Move it to %(next)s first.",
                        name=ticket.display_name,
                        current=states[current],
                        target=states[target],
                        team=ticket.team_id.display_name,
                        next=states[following],
                    )
                )

    def _complaint_target_stage(self, stage_id):
        """The stage `stage_id`, read with the tickets' current stages (one
        query for both)."""
        current = self.stage_id
        stage = current.browse(stage_id)
        return stage.with_prefetch(current.ids + stage.ids)

    def _complaint_rights_state(self, vals=None):
        """{id: (is complaint, closed)}: what the open and close rights guard.
        An archived complaint counts as closed (it leaves every open list).
        With `vals`, the state these values set explicitly (computed effects
        aside)."""
        vals = vals or {}
        stage = "stage_id" in vals and self._complaint_target_stage(vals["stage_id"])
        state = {}
        for ticket in self:
            is_complaint = vals.get("is_complaint", ticket.is_complaint)
            closed = stage.closed if stage is not False else ticket.stage_id.closed
            active = vals.get("active", ticket.active)
            state[ticket.id] = (
                bool(is_complaint),
                bool(is_complaint) and (closed or not active),
            )
        return state

    @api.model
    @tools.ormcache()
    def _complaint_rights_trigger_fields(self):
        """Fields whose change may change a ticket's (is complaint, closed),
        directly or through computed fields (team -> flag and stage, user ->
        team)."""
        watched = {self._fields[name] for name in RIGHTS_FIELDS}
        return frozenset(
            name
            for name, field in self._fields.items()
            if field in watched
            or watched.intersection(self.pool.get_dependent_fields(field))
        )

    @api.model
    def _complaint_required_rights(self, before, after):
        """Rights a (is complaint, closed) transition takes: the open right to
        become a complaint or to reopen one, the close right to close one or
        to stop it being a complaint (which takes it out of the SLA)."""
        was_complaint, was_closed = before
        is_complaint, is_closed = after
        if not is_complaint:
            return {GROUP_CLOSE} if was_complaint else set()
        if not was_complaint:
            return {GROUP_OPEN, GROUP_CLOSE} if is_closed else {GROUP_OPEN}
        if was_closed and not is_closed:
            return {GROUP_OPEN}
        if is_closed and not was_closed:
            return {GROUP_CLOSE}
        return set()

    def _complaint_check_transitions(self, before, after=None):
        """Refuse the transitions the user has no right for, whatever changed
        them (stage, flag, team, archive; computed fields included). `before`
        and `after` are `_complaint_rights_state()` results (`after` defaults
        to the current state); a ticket missing from `before` is new."""
        if self.env.su:
            return
        after = after or self._complaint_rights_state()
        refused = {}
        for ticket in self:
            state = after[ticket.id]
            needed = self._complaint_required_rights(
                before.get(ticket.id, (False, False)), state
            )
            for group in sorted(needed, reverse=True):
                if not self.env.user.has_group(group):
                    key = "unflag" if group == GROUP_CLOSE and not state[0] else group
                    refused[key] = refused.get(key, self.browse()) | ticket
        if refused:
            key = next(iter(refused))
            raise AccessError(refused[key].sudo()._complaint_refusal_message(key))

    def _complaint_refusal_message(self, key):
        names = ", ".join(self.mapped("display_name"))
        if key == GROUP_OPEN:
            return self.env._(
                "You are not allowed to open complaints. Ask a complaints "
                "manager for the right to register complaints."
            )
        if key == "unflag":
            return self.env._(
                "You are not allowed to turn complaints into ordinary tickets "
                "(%(names)s): it takes the right to close complaints.",
                names=names,
            )
        return self.env._(
            "You are not allowed to close complaints (%(names)s). Ask the "
            "customer-relations officer or a complaints manager.",
            names=names,
        )
