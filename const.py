"""Constants shared by the models, reports, controllers and tests."""

import re

from odoo.tools.translate import LazyTranslate

# -- review states and values -------------------------------------------------
COMPLAINT_STATES = [
    ("registered", "Registered"),
    ("analysed", "Analysed"),
    ("verified", "Verified"),
    ("closed", "Closed"),
    ("rejected", "Rejected"),
]
OPEN_STATES = ("registered", "analysed", "verified")
CLOSED_STATES = ("closed", "rejected")
# Teams with "review steps cannot be skipped" take these one after the other
# (going back is allowed; "rejected" may be reached from any state).
REVIEW_ORDER = ("registered", "analysed", "verified", "closed")
URGENCIES = [("normal", "Normal"), ("medium", "Medium"), ("high", "High")]
# cr.precommit.data key (cleared at commit): the ids of the SLA policies in
# precedence order, helpdesk.complaint.sla._get_candidates().
SLA_CANDIDATES_KEY = "helpdesk_mgmt_complaint.sla_candidates"
RESOLUTION_METHODS = [
    ("repair", "Repair"),
    ("replacement", "Replacement"),
    ("refund", "Refund"),
    ("explanation", "Explanation"),
    ("rejected", "Rejected"),
]

# -- rights -------------------------------------------------------------------
# What the open and close rights guard: (is complaint, closed) is read from
# these fields (helpdesk_ticket_rights.py).
RIGHTS_FIELDS = frozenset({"is_complaint", "stage_id", "active"})
GROUP_OPEN = "helpdesk_mgmt_complaint.group_complaint_open"
GROUP_CLOSE = "helpdesk_mgmt_complaint.group_complaint_close"
GROUP_MANAGER = "helpdesk_mgmt_complaint.group_complaint_manager"

# -- alerts and scheduled actions ------------------------------------------------
# sla_alert_level: alerts already sent, in this order.
ALERT_WARNING, ALERT_BREACH, ALERT_TEAM_LEADER, ALERT_MANAGER = 1, 2, 3, 4
# A cron run stops taking new batches after this many seconds (the rest is
# done by the next run, which Odoo starts at once when progress is reported).
CRON_TIME_BUDGET = 240
# Queued messages (customer updates, the e-mail queue): a change triggers the
# sending scheduled action this many seconds ahead, and reuses a pending
# trigger due at least NOTIFY_REUSE_MARGIN seconds ahead (the run it starts
# will see the change, committed by then).
NOTIFY_TRIGGER_DELAY = 5
NOTIFY_REUSE_MARGIN = 2

# -- intake: license plates and phones in e-mails -----------------------------------
# Runs of short groups of letters/digits separated by spaces or dashes
# ("1-ABC-234", "AB-123-CD", "WX 12345", "LJ AB-123"); every run of up to four
# consecutive groups is then compared with the vehicles' normalized plates, so
# a loose pattern is fine.
DEFAULT_PLATE_PATTERN = r"\b[A-Z0-9]{1,8}(?:[ -]+[A-Z0-9]{1,8})*\b"
# What normalize_plate() removes: spaces, dashes, dots...
PLATE_SEPARATORS = re.compile(r"[\W_]+")
PLATE_TOKEN = re.compile(r"[^\s\-.]+")
# A phone number in a signature line: optional + or 00, digits and the usual
# separators, 8 to 20 characters.
SIGNATURE_PHONE = re.compile(r"(?:\+|\b00)?\d[\d ()./-]{6,18}\d")
# What a phone number typed in a search looks like, and the fewest national
# digits compared (fewer would match too many numbers).
PHONE_LIKE = re.compile(r"(?:\+|00)?[\d\s().\-/]+")
PHONE_MIN_DIGITS = 6
# Only the start of a long e-mail is searched for plates and phones.
INTAKE_TEXT_LIMIT = 20000
# The sender line of a forwarded message's header block, in the languages of
# the usual mail clients ("From: Name <address>", "*Von:* ...").
FORWARDED_FROM = re.compile(
    r"^[>\s*]*(?:From|Von|De|Od|От|Da|Van|Från|Fra|מאת)\s*:[*\s]*(.+)$",
    re.IGNORECASE | re.MULTILINE,
)

# -- customer portal ----------------------------------------------------------------
# What a customer reads for each review state: "Analysed" or "Verified" are
# the officers' words, not the customer's. Translated where shown (env._).
_lt = LazyTranslate(__name__)
PORTAL_STATE_LABELS = {
    "registered": _lt("Received"),
    "analysed": _lt("Being looked into"),
    "verified": _lt("Solution proposed"),
    "closed": _lt("Resolved"),
    "rejected": _lt("Closed"),
}
# Badge of each urgency on the portal (anything else: normal, green).
PORTAL_URGENCY_BADGES = {"high": "text-bg-danger", "medium": "text-bg-warning"}
# -- satisfaction and hot alerts --------------------------------------------------
# What a poor rating of a closed complaint does (company setting).
HOT_ACTIONS = [
    ("reopen", "Reopen the complaint"),
    ("followup", "Open a linked follow-up complaint"),
]
# Ratings at or under this value are poor by default (1-2 of 5).
DEFAULT_POOR_RATING = 2
# -- product complaints and external repairs ------------------------------------
WARRANTY_STATES = [
    ("under_warranty", "Under warranty"),
    ("expired", "Warranty expired"),
    ("unknown", "Unknown"),
]
REPAIR_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("received", "Received by centre"),
    ("started", "Repair started"),
    ("repaired", "Repaired"),
    ("returned", "Returned"),
    ("refused", "Refused"),
]
# Next states a repair request may take from each state ("sent" only by Send).
REPAIR_TRANSITIONS = {
    "draft": ("sent", "refused"),
    "sent": ("received", "refused"),
    "received": ("started", "refused"),
    "started": ("repaired",),
    "repaired": ("returned",),
    "returned": (),
    "refused": (),
}
# The service centre's link works in these states only (not before the
# request is sent, no longer once it is returned or refused).
REPAIR_LINK_STATES = ("sent", "received", "started", "repaired")
# Sent but not started: the timeliness alert and the analysis value.
REPAIR_WAITING_STATES = ("sent", "received")
REPAIR_OPEN_STATES = ("sent", "received", "started", "repaired")
# The analysis' repair state: the latest request's, with "not started in
# time" of its own (sent or received longer ago than the company's days).
REPORT_REPAIR_STATES = REPAIR_STATES + [
    ("not_started", "Not started in time"),
]
