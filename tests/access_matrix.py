"""Who may do what with complaints: the one table the access tests and the
README's Security section are made from.

Each role is a set of groups; each operation is one call, as the web client
or an RPC client makes it (model, method, arguments), on records the role
could otherwise work on (a complaint assigned to the acting user, unless the
operation is about others' records). ``tests/test_complaint_access_matrix.py``
runs every cell over the ORM (``odoo.api.call_kw``, what RPC calls) and over
JSON-RPC (``/web/dataset/call_kw``) and compares with ``EXPECTED``;
``render_rst()`` is the README's table, checked to be there verbatim."""

ROLES = {
    "helpdesk": ("Helpdesk user", "helpdesk_mgmt.group_helpdesk_user"),
    "personal": ("Personal tickets", "helpdesk_mgmt.group_helpdesk_user_own"),
    "open": ("Register", "helpdesk_mgmt_complaint.group_complaint_open"),
    "close": ("Close", "helpdesk_mgmt_complaint.group_complaint_close"),
    "both": (
        "Register + close",
        "helpdesk_mgmt_complaint.group_complaint_open,"
        "helpdesk_mgmt_complaint.group_complaint_close",
    ),
    "manager": ("Manager", "helpdesk_mgmt_complaint.group_complaint_manager"),
    "portal": ("Portal", "base.group_portal"),
    "other_company": (
        "Manager, other company",
        "helpdesk_mgmt_complaint.group_complaint_manager",
    ),
}

# operation: (label, {role: allowed}) -- roles left out are refused.
_Y = True
OPERATIONS = {
    "create_self": (
        "Register, assigned to oneself",
        {"open": _Y, "both": _Y, "manager": _Y},
    ),
    "create_other": (
        "Register, assigned to the officer",
        {"open": _Y, "both": _Y, "manager": _Y},
    ),
    "close_button": ("Close (button)", {"close": _Y, "both": _Y, "manager": _Y}),
    "reject_button": ("Reject (button)", {"close": _Y, "both": _Y, "manager": _Y}),
    "close_dialog": (
        "Close through the close dialog (wizard)",
        {"close": _Y, "both": _Y, "manager": _Y},
    ),
    "stage_write": (
        "Write a closed stage",
        {"close": _Y, "both": _Y, "manager": _Y},
    ),
    "kanban_drop": (
        "Drop on a closed column (web_save)",
        {"close": _Y, "both": _Y, "manager": _Y},
    ),
    "import_closed": (
        "Import a closed stage (load)",
        {"close": _Y, "both": _Y, "manager": _Y},
    ),
    "hot_close": ("Close a hot complaint, customer not contacted yet", {}),
    "hot_close_contacted": (
        "Close a hot complaint after a call or message to the customer",
        {"close": _Y, "both": _Y, "manager": _Y},
    ),
    "archive": ("Archive an open complaint", {"close": _Y, "both": _Y, "manager": _Y}),
    "reopen": ("Reopen a closed complaint", {"open": _Y, "both": _Y, "manager": _Y}),
    "unflag": (
        "Untick Complaint on an open one",
        {"close": _Y, "both": _Y, "manager": _Y},
    ),
    "team_out": (
        "Move an open complaint to an ordinary team",
        {"close": _Y, "both": _Y, "manager": _Y},
    ),
    "team_in": (
        "Move an ordinary ticket to a complaint team",
        {"open": _Y, "both": _Y, "manager": _Y},
    ),
    "team_closed": (
        "Move a closed complaint to another complaint team (reopens it)",
        {"open": _Y, "both": _Y, "manager": _Y},
    ),
    "team_twice": (
        "Close via an ordinary team and back",
        {"both": _Y, "manager": _Y},
    ),
    "transfer": (
        "Transfer one's complaint (wizard)",
        {
            "helpdesk": _Y,
            "personal": _Y,
            "open": _Y,
            "close": _Y,
            "both": _Y,
            "manager": _Y,
        },
    ),
    "read_others": (
        "Read another handler's complaint",
        {"helpdesk": _Y, "manager": _Y},
    ),
    "transfer_rows": (
        "Read transfer rows of another handler's complaint",
        {"helpdesk": _Y, "manager": _Y},
    ),
    "analysis_rows": (
        "Read analysis rows of another handler's complaint",
        {"manager": _Y},
    ),
}

EXPECTED = {
    (role, operation): role in allowed
    for operation, (_label, allowed) in OPERATIONS.items()
    for role in ROLES
}


def render_rst():
    """The matrix as an RST grid table (yes / no)."""
    header = ["Operation"] + [label for label, _groups in ROLES.values()]
    rows = [
        [label] + ["yes" if EXPECTED[role, op] else "no" for role in ROLES]
        for op, (label, _allowed) in OPERATIONS.items()
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(char):
        return "+" + "+".join(char * (w + 2) for w in widths) + "+"

    def cells(row):
        padded = (f" {c.ljust(w)} " for c, w in zip(row, widths, strict=True))
        return "|" + "|".join(padded) + "|"

    out = [line("-"), cells(header), line("=")]
    for row in rows:
        out += [cells(row), line("-")]
    return "\n".join(out)
