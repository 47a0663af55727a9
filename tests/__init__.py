from . import test_complaint_registration
from . import test_complaint_sla
from . import test_complaint_rights
from . import test_complaint_transfer
from . import test_complaint_performance
from . import test_complaint_tour
from . import test_complaint_report
