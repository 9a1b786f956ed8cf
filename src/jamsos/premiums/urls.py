from django.urls import path

from jamsos.premiums import views

app_name = "premiums"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tagih/", views.run, name="run"),
    path("tagihan/<str:period>/", views.run_detail, name="run_detail"),
    path("tagihan/<str:period>/ekspor.xlsx", views.run_export, name="run_export"),
    path("faktur/<int:pk>/", views.invoice_detail, name="invoice"),
    path("faktur/<int:pk>/ekspor.xlsx", views.invoice_export, name="invoice_export"),
    path("faktur/<int:pk>/bayar/", views.pay, name="pay"),
    path("faktur/<int:pk>/koreksi/", views.adjust, name="adjust"),
    path("tunggakan/", views.arrears, name="arrears"),
    path("tunggakan/ekspor.xlsx", views.arrears_export, name="arrears_export"),
    path("rekonsiliasi/", views.reconciliations, name="reconciliations"),
    path("rekonsiliasi/<int:pk>/", views.reconciliation_detail, name="reconciliation"),
    path("rekonsiliasi/<int:pk>/ekspor.xlsx", views.reconciliation_export,
         name="reconciliation_export"),
    path("anggaran/", views.budget_view, name="budget"),
    path("anggaran/ekspor.xlsx", views.budget_export, name="budget_export"),
    path("pengaturan/", views.settings_view, name="settings"),
    path("orang/<int:person_id>/", views.person, name="person"),
]
