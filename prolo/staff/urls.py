from django.urls import path

from prolo.staff.views import courses, evaluations, history, patients, sessions, today

app_name = "staff"

patient_urls = [
    path("patients/", patients.patient_list, name="patient-list"),
    path("patients/new/", patients.patient_new, name="patient-new"),
    path("patients/<uuid:code>/", patients.patient_chart, name="patient-chart"),
    path("patients/<uuid:code>/edit/", patients.patient_edit, name="patient-edit"),
    path("patients/<uuid:code>/audit/", patients.patient_audit, name="patient-audit"),
    path("patients/<uuid:code>/history/", history.history, name="patient-history"),
    path("patients/<uuid:code>/history/<slug:kind>/", history.history_add, name="history-add"),
    path(
        "patients/<uuid:code>/allergies/<int:pk>/remove/",
        history.allergy_remove,
        name="allergy-remove",
    ),
    path(
        "patients/<uuid:code>/history/<slug:kind>/<int:pk>/toggle/",
        history.history_item_toggle,
        name="history-toggle",
    ),
]

evaluation_urls = [
    path(
        "patients/<uuid:code>/evaluations/new/", evaluations.evaluation_new, name="evaluation-new"
    ),
    path("evaluations/<uuid:code>/", evaluations.evaluation_detail, name="evaluation-detail"),
    path("evaluations/<uuid:code>/edit/", evaluations.evaluation_edit, name="evaluation-edit"),
    path("imaging/<uuid:code>/file/", evaluations.imaging_file, name="imaging-file"),
]

course_urls = [
    path("patients/<uuid:code>/courses/new/", courses.course_new, name="course-new"),
    path("courses/<uuid:code>/", courses.course_detail, name="course-detail"),
]

session_urls = [
    path("sessions/<uuid:code>/", sessions.session_detail, name="session-detail"),
    path("sessions/<uuid:code>/edit/", sessions.session_edit, name="session-edit"),
    path("sessions/<uuid:code>/checklist/", sessions.checklist_save, name="checklist-save"),
    path("sessions/<uuid:code>/note/", sessions.note_save, name="note-save"),
    path("sessions/<uuid:code>/injections/", sessions.injection_add, name="injection-add"),
    path("injections/<uuid:code>/remove/", sessions.injection_remove, name="injection-remove"),
    path("sessions/<uuid:code>/sign/", sessions.note_sign, name="note-sign"),
    path("sessions/<uuid:code>/amend/", sessions.note_amend, name="note-amend"),
]

urlpatterns = [
    path("", today.today, name="today"),
    *patient_urls,
    *evaluation_urls,
    *course_urls,
    *session_urls,
]
