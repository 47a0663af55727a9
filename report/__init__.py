from . import helpdesk_complaint_report
from . import report_complaint_distribution
from . import helpdesk_complaint_report_xlsx
from . import helpdesk_complaint_report_recovery
from . import helpdesk_complaint_report_satisfaction
from . import helpdesk_complaint_report_product
