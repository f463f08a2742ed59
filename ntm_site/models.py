"""Base models every app builds on."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class History(HistoricalRecords):
    """django-simple-history's records, named "lịch sử <tên>" ("history of <name>" in English).

    simple-history names a history model "historical <verbose name>", in English and fixed when the
    model is built; these names follow the reader's language in permission lists, content types and
    the admin.
    """

    def get_meta_options(self, model):
        meta = super().get_meta_options(model)
        meta["verbose_name"] = format_lazy(_("lịch sử {}"), model._meta.verbose_name)
        meta["verbose_name_plural"] = format_lazy(_("lịch sử {}"), model._meta.verbose_name_plural)
        return meta


class TrackedModel(models.Model):
    """A record whose every change is kept in history (who, when, what).

    Declaring a model on this base is all it takes: django-simple-history gives
    each concrete subclass its own historical table.
    """

    history = History(inherit=True)

    class Meta:
        abstract = True

    def delete(self, using=None, keep_parents=False):
        """Delete as Django does, and record the whole cascade as one deletion (ntm_site.deletions)."""
        from ntm_site.deletions import delete_recorded

        return delete_recorded(self, using=using, keep_parents=keep_parents)


class ImportBatch(models.Model):
    """One workbook a clerk imported (or tried to): who, when, which file and template, what it did.

    The rows it created or changed carry the batch in their history's change reason
    (see `change_reason`), so `history_rows()` lists them.
    """

    class Status(models.TextChoices):
        # A confirmed import waits for a background worker (ntm_site.jobs), then runs; the batch says where it is.
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Đã ghi")
        FAILED = "failed", _("Có lỗi, không ghi gì")

    template = models.CharField(_("biểu mẫu"), max_length=60, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("loại dữ liệu"), on_delete=models.PROTECT, null=True, blank=True
    )
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_batches",
    )
    started_at = models.DateTimeField(_("bắt đầu lúc"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    status = models.CharField(_("kết quả"), max_length=10, choices=Status.choices, default=Status.DONE)
    rows = models.PositiveIntegerField(_("số dòng dữ liệu"), default=0)
    created = models.PositiveIntegerField(_("thêm mới"), default=0)
    updated = models.PositiveIntegerField(_("cập nhật"), default=0)
    unchanged = models.PositiveIntegerField(_("không đổi"), default=0)
    skipped = models.PositiveIntegerField(_("bỏ qua"), default=0)
    errors = models.PositiveIntegerField(_("số lỗi"), default=0)
    error_summary = models.TextField(_("các lỗi đầu tiên"), blank=True)
    # The process that runs the import ("host:pid:start"): a batch left "running" by a process that is gone
    # was stopped halfway (killed, or the machine went down) and is marked failed when next looked at
    # (ntm_site.spreadsheets.batches.settle_abandoned).
    worker = models.CharField(_("tiến trình nhập"), max_length=120, blank=True)
    job = models.ForeignKey(
        "ntm_site.Job",
        verbose_name=_("công việc chạy nền"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="batches",
    )

    class Meta:
        verbose_name = _("lô nhập dữ liệu")
        verbose_name_plural = _("lô nhập dữ liệu")
        ordering = ["-started_at"]

    def __str__(self):
        return _("Lô nhập #{pk}: {file}").format(pk=self.pk, file=self.file_name or self.template)

    @property
    def change_reason(self) -> str:
        """The history change reason of every row this batch wrote (data, not translated)."""
        return self.reason_for(self.pk, self.file_name)

    @staticmethod
    def reason_for(pk, file_name: str = "") -> str:
        return f"Lô nhập #{pk}: {file_name}"[:255]

    def history_rows(self):
        """The historical rows this batch wrote (one model per batch)."""
        if self.content_type is None:
            return None
        model = self.content_type.model_class()
        return model.history.filter(history_change_reason__startswith=f"Lô nhập #{self.pk}:")


def private_storage():
    """Files of background jobs (the uploads they import, the workbooks they produce): under NTM_PRIVATE_ROOT,
    never served by URL; every worker must reach the same folder (docs/deployment.md)."""
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.NTM_PRIVATE_ROOT)


class Job(models.Model):
    """One piece of long work a user asked for, run by a background worker: an import, or a large download.

    The web request records the job and queues it (django-tasks); a worker runs it and records where it is
    (ntm_site.jobs). The user can leave the page and come back: the job keeps its state, its progress, its
    result file and, if it failed, why.
    """

    class Kind(models.TextChoices):
        IMPORT = "import", _("Nhập dữ liệu")
        DOWNLOAD = "download", _("Tải tệp")

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Xong")
        FAILED = "failed", _("Lỗi")

    kind = models.CharField(_("loại việc"), max_length=10, choices=Kind.choices)
    handler = models.CharField(_("việc cần làm"), max_length=80)
    label = models.CharField(_("nội dung"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.QUEUED)
    # What the handler needs to do the work again (a worker may run it on another machine, later).
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    # One job per request that must not run twice (the confirm of one uploaded preview): unique.
    key = models.CharField(_("khóa chống chạy hai lần"), max_length=100, unique=True, null=True, blank=True)
    attempt = models.PositiveIntegerField(_("lần chạy"), default=1)
    task_id = models.CharField(_("mã trong hàng đợi"), max_length=64, blank=True)
    worker = models.CharField(_("tiến trình chạy"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("yêu cầu lúc"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    total = models.PositiveIntegerField(_("tổng số dòng"), default=0)
    read = models.PositiveIntegerField(_("số dòng đã đọc"), default=0)
    written = models.PositiveIntegerField(_("số dòng đã ghi"), default=0)
    message = models.TextField(_("kết quả"), blank=True)
    # Whether running it again can help: a worker that died, a database that went away; not a file with errors.
    retryable = models.BooleanField(_("có thể chạy lại"), default=False)
    input_file = models.FileField(_("tệp đầu vào"), storage=private_storage, upload_to="jobs/in/", blank=True)
    result_file = models.FileField(_("tệp kết quả"), storage=private_storage, upload_to="jobs/out/", blank=True)
    result_name = models.CharField(_("tên tệp kết quả"), max_length=255, blank=True)
    result_type = models.CharField(_("kiểu tệp kết quả"), max_length=120, blank=True)
    back_url = models.CharField(_("trang quay về"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("công việc chạy nền")
        verbose_name_plural = _("công việc chạy nền")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="job_user_created_idx")]

    def __str__(self):
        return _("Việc #{pk}: {label}").format(pk=self.pk, label=self.label)

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


class ImportFile(models.Model):
    """An uploaded workbook kept between preview and confirm, in the database.

    The database is shared by every process, so confirming works whichever worker
    serves it; files older than a day are removed when new ones are stored.
    """

    name = models.CharField(_("tên lưu tạm"), max_length=64, unique=True)
    data = models.BinaryField(_("nội dung"))
    size = models.PositiveIntegerField(_("kích thước"), default=0)
    created_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("tệp nhập tạm")
        verbose_name_plural = _("tệp nhập tạm")

    def __str__(self):
        return self.name


class DeletionRecord(models.Model):
    """One deletion a user asked for: the record they deleted and everything its cascade took with it.

    The rows of models with history are listed as items (their last history row holds what they
    were); rows without history of their own (the links of many-to-many fields) are kept here as
    they were, and so are the references that other rows lost (SET_NULL). Restoring the record
    brings the whole back in one transaction (ntm_site.accounts.restore).
    """

    content_type = models.ForeignKey(ContentType, verbose_name=_("loại dữ liệu"), on_delete=models.PROTECT)
    object_id = models.CharField(_("mã bản ghi"), max_length=64)
    history_id = models.BigIntegerField(_("mã dòng lịch sử khi xóa"), null=True, db_index=True)
    label = models.CharField(_("bản ghi"), max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xóa"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    deleted_at = models.DateTimeField(_("xóa lúc"), default=timezone.now, db_index=True)
    links = models.JSONField(_("liên kết đã xóa"), default=list, blank=True)
    cleared = models.JSONField(_("tham chiếu đã bỏ trống"), default=list, blank=True)
    restored_at = models.DateTimeField(_("khôi phục lúc"), null=True, blank=True)
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người khôi phục"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lần xóa")
        verbose_name_plural = _("các lần xóa")
        ordering = ["-deleted_at"]

    def __str__(self):
        return _("Xóa “{label}” lúc {when}").format(label=self.label, when=timezone.localtime(self.deleted_at))


class DeletionItem(models.Model):
    """One row with history that a deletion removed, found again by its last history row."""

    deletion = models.ForeignKey(
        DeletionRecord, verbose_name=_("lần xóa"), on_delete=models.CASCADE, related_name="items"
    )
    content_type = models.ForeignKey(ContentType, verbose_name=_("loại dữ liệu"), on_delete=models.PROTECT)
    object_id = models.CharField(_("mã bản ghi"), max_length=64)
    history_id = models.BigIntegerField(_("mã dòng lịch sử khi xóa"))
    position = models.PositiveIntegerField(_("thứ tự khi xóa"))
    is_root = models.BooleanField(_("bản ghi được chọn xóa"), default=False)

    class Meta:
        verbose_name = _("bản ghi bị xóa kèm")
        verbose_name_plural = _("bản ghi bị xóa kèm")
        ordering = ["deletion", "position"]
        indexes = [models.Index(fields=["content_type", "history_id"], name="deletionitem_history_idx")]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id}"
