"""The tables, typed. Import models from here."""

from testimonials.models.account import Account, AccountSession, PendingSignIn, RecoveryCode
from testimonials.models.audit import AuditEntry
from testimonials.models.base import Base, utcnow
from testimonials.models.content import ContentVersion
from testimonials.models.draft import Draft
from testimonials.models.moderation import (
    AuditErasureGate,
    Claim,
    ModeratorNote,
    RejectionReason,
    SignatureBand,
    SubmissionTheme,
    TextSignature,
    Theme,
)
from testimonials.models.place import Facility, Region, RegionFormerSlug
from testimonials.models.release import StatRelease
from testimonials.models.report_pick import ReportPick
from testimonials.models.settings import Setting
from testimonials.models.stats import StatCell, StatDeparture
from testimonials.models.submission import StatusCount, Submission, Wait

__all__ = [
    "Account", "AccountSession", "AuditEntry", "AuditErasureGate", "Base", "Claim",
    "ContentVersion", "Draft", "Facility", "ModeratorNote", "PendingSignIn", "RecoveryCode",
    "Region", "RegionFormerSlug", "RejectionReason", "ReportPick", "SignatureBand",
    "SubmissionTheme", "TextSignature", "Theme",
    "Setting", "StatCell", "StatDeparture", "StatRelease", "StatusCount", "Submission", "Wait",
    "utcnow",
]
