"""The audit trail (*nhật ký kiểm toán*): who changed what, when, from where, hash-chained so an edit or a deletion
made directly in the database is detected (`dondoc audit verify`)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class LinkingManager(models.Manager):
    """Reads of the trail see every committed event: entries still waiting for the chainer are linked first
    (`dondoc.audit.chain.link_pending`; one small query when none waits)."""

    def get_queryset(self) -> models.QuerySet:
        from dondoc.audit.chain import link_pending  # chain imports this module

        link_pending()
        return super().get_queryset()


class AuditEntry(models.Model):
    """One recorded event. Rows are only ever added; each carries the hash of the previous row.

    ``hash`` = sha256(prev_hash + canonical JSON of the row's own fields). Editing any field breaks the row's own
    hash; deleting a row breaks the next row's ``prev_hash``. The user is kept by id and name (not a foreign key)
    so that deleting an account changes no audit row.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Tạo mới")
        UPDATE = "update", _("Sửa")
        DELETE = "delete", _("Xóa")
        LOGIN = "login", _("Đăng nhập")
        LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
        LOGOUT = "logout", _("Đăng xuất")
        LOCKOUT = "lockout", _("Khóa do đăng nhập sai nhiều lần")
        EXPORT = "export", _("Xuất dữ liệu")

    at = models.DateTimeField(_("thời điểm"), db_index=True)
    user_id = models.BigIntegerField(_("mã tài khoản"), null=True, blank=True, db_index=True)
    username = models.CharField(_("tài khoản"), max_length=150, blank=True, db_index=True)
    address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    action = models.CharField(_("thao tác"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=300, blank=True)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    plain = models.Manager()  # the chainer's own reads and writes (no linking)
    objects = LinkingManager()

    class Meta:
        ordering = ["-id"]
        default_manager_name = "objects"
        verbose_name = _("bản ghi nhật ký")
        verbose_name_plural = _("nhật ký kiểm toán")

    def __str__(self) -> str:
        return f"#{self.pk} {self.at:%d/%m/%Y %H:%M} {self.username} {self.get_action_display()} {self.object_repr}"

    def canonical(self) -> str:
        """The row's own fields as canonical JSON (sorted keys, UTC time, no whitespace): what the hash covers."""
        row: dict[str, Any] = {
            "id": self.pk,
            "at": self.at.astimezone(UTC).isoformat(),
            "user_id": self.user_id,
            "username": self.username,
            "address": self.address,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "before": self.before,
            "after": self.after,
        }
        return json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + self.canonical()).encode("utf-8")).hexdigest()


class PendingAuditEntry(models.Model):
    """An event written by a request's transaction, not yet linked into the chain (*chờ nối chuỗi*).

    Requests write here without any lock (the id is the database sequence's, the order of writing); right after
    the commit one chainer at a time moves the committed rows, in id order, to `AuditEntry` with their chain id
    and hashes (`dondoc.audit.chain.link_pending`). A row waits here for milliseconds; one left by a process killed
    between its commit and the linking is linked by the next write, read or follow-up pass."""

    at = models.DateTimeField()
    user_id = models.BigIntegerField(null=True, blank=True)
    username = models.CharField(max_length=150, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=20, choices=AuditEntry.Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("bản ghi chờ nối chuỗi")
        verbose_name_plural = _("bản ghi chờ nối chuỗi")

    def __str__(self) -> str:
        return f"chờ #{self.pk} {self.action} {self.object_repr}"


class AccountFlag(models.Model):
    """Account-level flags that the user model does not have: the password chosen by someone else (an
    administrator, an import) must be changed at the first login."""

    user = models.OneToOneField(
        "auth.User", models.CASCADE, related_name="account_flag", verbose_name=_("tài khoản")
    )
    must_change_password = models.BooleanField(_("phải đổi mật khẩu khi đăng nhập"), default=True)

    class Meta:
        verbose_name = _("cờ tài khoản")
        verbose_name_plural = _("cờ tài khoản")

    def __str__(self) -> str:
        return f"{self.user} — {'phải đổi mật khẩu' if self.must_change_password else 'bình thường'}"
