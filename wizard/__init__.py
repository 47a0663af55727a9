from . import helpdesk_complaint_transfer_wizard
from . import helpdesk_complaint_call_wizard
from . import helpdesk_complaint_report_wizard
from . import helpdesk_complaint_close_wizard
from . import helpdesk_complaint_letter_wizard
from . import survey_invite
