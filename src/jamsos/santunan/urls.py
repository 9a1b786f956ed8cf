from django.urls import path

from jamsos.santunan import views

app_name = "santunan"
#: Every page but "Ketentuan" answers 404 where the regency has no scheme
#: (``views.santunan_only``); "Ketentuan" is where its administrator adds the first version.
_pages = [
    path("", views.case_list, name="list"),
    path("terlambat/", views.overdue_list, name="overdue"),
    path("baru/", views.case_new, name="new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/ubah/", views.case_edit, name="edit"),
    path("<int:pk>/tindakan/", views.case_act, name="act"),
    path("<int:pk>/dokumen/", views.document_upload, name="upload"),
    path("<int:pk>/dokumen/<int:doc>/", views.document_file, name="document"),
    path("pembayaran/", views.payments, name="payments"),
    path("pembayaran/<int:pk>/", views.batch_detail, name="batch"),
    path("pembayaran/<int:pk>/transfer.csv", views.batch_file, name="batch_file"),
    path("laporan/", views.report, name="report"),
    path("dtsen/", views.dtsen_import, name="dtsen"),
    path("notifikasi/", views.notifications, name="notifications"),
]
urlpatterns = [
    *(path(str(p.pattern), views.santunan_only(p.callback), name=p.name) for p in _pages),
    path("ketentuan/", views.rules, name="rules"),
]
