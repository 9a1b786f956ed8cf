from django.urls import path

from jamsos.coverage import views

app_name = "coverage"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ekspor.xlsx", views.export_xlsx, name="export"),
    path("belum/<str:desa_code>/", views.worklist, name="worklist"),
    path("belum/<str:desa_code>/ekspor.xlsx", views.worklist_xlsx, name="worklist_export"),
    path("calon/", views.candidates, name="candidates"),
    path("calon/pengecualian/", views.exclusions, name="exclusions"),
    path("calon/<str:desa_code>/", views.candidate_worklist, name="candidate_worklist"),
    path("calon/<str:desa_code>/ekspor.xlsx", views.candidate_worklist_xlsx,
         name="candidate_worklist_export"),
]
