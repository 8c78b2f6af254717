"""Routes of this blueprint, one module per page group; the access check covers them all."""

from testimonials.moderate import bp
from testimonials.moderate.access import protect

protect(bp, admin=False)

from testimonials.moderate import (  # noqa: E402,F401  (routes register on import)
    account_views,
    audit_views,
    bulk_views,
    item_views,
    queue_views,
    report_views,
    review_views,
    sign_in_views,
    workload_views,
)
