from django.urls import path

from prolo.staff.views import (
    adverse_events,
    articles,
    careplans,
    clinic_settings,
    clinic_setup,
    compounding,
    consent,
    courses,
    diary,
    dosing,
    evaluations,
    history,
    instruments,
    last,
    outcomes,
    patients,
    pdfs,
    portal_access,
    protocols,
    questionnaires,
    sessions,
    shared_documents,
    staff_admin,
    syringes,
    today,
)

app_name = "staff"

patient_urls = [
    path("patients/", patients.patient_list, name="patient-list"),
    path("patients/new/", patients.patient_new, name="patient-new"),
    path("patients/<uuid:code>/", patients.patient_chart, name="patient-chart"),
    path("patients/<uuid:code>/edit/", patients.patient_edit, name="patient-edit"),
    path("patients/<uuid:code>/audit/", patients.patient_audit, name="patient-audit"),
    path("patients/<uuid:code>/portal/", portal_access.portal_access, name="portal-access"),
    path("patients/<uuid:code>/portal/revoke/", portal_access.portal_revoke, name="portal-revoke"),
    path(
        "patients/<uuid:code>/portal/account/",
        portal_access.portal_account_switch,
        name="portal-account-switch",
    ),
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
    path("courses/<uuid:code>/outcomes/", courses.course_outcomes, name="course-outcomes"),
]

questionnaire_urls = [
    path(
        "patients/<uuid:code>/questionnaires/new/",
        questionnaires.questionnaire_new,
        name="questionnaire-new",
    ),
    path(
        "questionnaires/<uuid:code>/",
        questionnaires.questionnaire_detail,
        name="questionnaire-detail",
    ),
    path("outcomes/due/", questionnaires.outcomes_due, name="outcomes-due"),
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
    path("sessions/<uuid:code>/dose-override/", dosing.dose_override, name="dose-override"),
]

dosing_urls = [
    path("anaesthetic-limits/", dosing.anaesthetic_limits, name="anaesthetic-limits"),
    path(
        "anaesthetic-limits/<slug:agent>/",
        dosing.anaesthetic_limit_edit,
        name="anaesthetic-limit-edit",
    ),
]

protocol_urls = [
    path("sessions/<uuid:code>/plan/", careplans.careplan_print, name="careplan-print"),
    path("clinic/settings/", clinic_settings.clinic_settings, name="clinic-settings"),
    path("clinic/protocols/", protocols.protocol_list, name="protocol-list"),
    path("clinic/protocols/copy/", protocols.protocol_copy, name="protocol-copy"),
    path("clinic/protocols/<uuid:code>/", protocols.protocol_detail, name="protocol-detail"),
    path("clinic/protocols/<uuid:code>/edit/", protocols.protocol_edit, name="protocol-edit"),
    path(
        "clinic/protocols/<uuid:code>/injections/",
        protocols.protocol_injection_add,
        name="protocol-injection-add",
    ),
    path(
        "clinic/protocols/<uuid:code>/injections/<int:index>/remove/",
        protocols.protocol_injection_remove,
        name="protocol-injection-remove",
    ),
]

compounding_urls = [
    path("tools/compound/", compounding.calculator, name="calculator"),
    path("clinic/catalogue/", compounding.catalogue, name="catalogue"),
    path("clinic/catalogue/new/", compounding.stock_new, name="stock-new"),
    path("clinic/catalogue/<uuid:code>/edit/", compounding.stock_edit, name="stock-edit"),
    path("sessions/<uuid:code>/syringes/", compounding.syringe_add, name="syringe-add"),
    path("syringes/<uuid:code>/discard/", syringes.syringe_discard, name="syringe-discard"),
]

adverse_event_urls = [
    path("adverse-events/", adverse_events.adverse_event_list, name="adverse-event-list"),
    path(
        "patients/<uuid:code>/adverse-events/new/",
        adverse_events.adverse_event_new,
        name="adverse-event-new",
    ),
    path(
        "adverse-events/<uuid:code>/",
        adverse_events.adverse_event_detail,
        name="adverse-event-detail",
    ),
    path(
        "adverse-events/<uuid:code>/edit/",
        adverse_events.adverse_event_edit,
        name="adverse-event-edit",
    ),
    path(
        "adverse-events/<uuid:code>/close/",
        adverse_events.adverse_event_close_view,
        name="adverse-event-close",
    ),
]

last_urls = [
    path("sessions/<uuid:code>/last/", last.last_panel, name="last-panel"),
    path("sessions/<uuid:code>/last/record/", last.last_record, name="last-record"),
]

instrument_urls = [
    path("clinic/instruments/", instruments.instrument_list, name="instrument-list"),
    path(
        "clinic/instruments/<slug:instrument>/",
        instruments.instrument_detail,
        name="instrument-detail",
    ),
    path(
        "clinic/instruments/<slug:instrument>/questionnaire.json",
        instruments.instrument_export,
        name="instrument-export",
    ),
    path(
        "clinic/instruments/<slug:instrument>/import/",
        instruments.instrument_import,
        name="instrument-import",
    ),
    path(
        "clinic/instruments/<slug:instrument>/settings/",
        instruments.instrument_settings,
        name="instrument-settings",
    ),
]

diary_urls = [
    path("sessions/<uuid:code>/diary/", diary.diary_entry_add, name="diary-entry-add"),
    path("review-tasks/", diary.review_task_list, name="review-task-list"),
    path("review-tasks/<uuid:code>/close/", diary.review_task_close, name="review-task-close"),
]

outcome_urls = [
    path("outcomes/", outcomes.outcomes_report, name="outcomes-report"),
    path("outcomes/registry.csv", outcomes.registry_csv, name="registry-csv"),
]

article_urls = [
    path("clinic/articles/", articles.article_list, name="article-list"),
    path(
        "clinic/articles/<slug:language>/<slug:slug>/",
        articles.article_detail,
        name="article-detail",
    ),
    path(
        "clinic/articles/<slug:language>/<slug:slug>/edit/",
        articles.article_edit,
        name="article-edit",
    ),
]

shared_document_urls = [
    path(
        "patients/<uuid:code>/documents/",
        shared_documents.shared_document_add_view,
        name="shared-document-add",
    ),
    path(
        "shared-documents/<uuid:code>/withdraw/",
        shared_documents.shared_document_withdraw_view,
        name="shared-document-withdraw",
    ),
]

consent_urls = [
    path("clinic/consent/", consent.consent_document_list, name="consent-document-list"),
    path(
        "clinic/consent/<uuid:code>/",
        consent.consent_document_detail,
        name="consent-document-detail",
    ),
    path(
        "clinic/consent/<uuid:code>/edit/",
        consent.consent_document_edit,
        name="consent-document-edit",
    ),
    path(
        "clinic/consent/<uuid:code>/publish/",
        consent.consent_document_publish,
        name="consent-document-publish",
    ),
    path("courses/<uuid:code>/consent/", consent.consent_record, name="consent-record"),
    path("consents/<uuid:code>/withdraw/", consent.consent_withdraw, name="consent-withdraw"),
]

pdf_urls = [
    path("sessions/<uuid:code>/note.pdf", pdfs.note_pdf_download, name="note-pdf"),
    path("sessions/<uuid:code>/handout.pdf", pdfs.handout_pdf_download, name="handout-pdf"),
    path("consents/<uuid:code>/consent.pdf", pdfs.consent_pdf_download, name="consent-pdf"),
    path(
        "courses/<uuid:code>/letter.pdf", pdfs.course_letter_pdf_download, name="course-letter-pdf"
    ),
]

setup_urls = [
    path("clinic/profile/", clinic_setup.clinic_profile_edit, name="clinic-profile"),
    path("clinic/locations/", clinic_setup.location_list, name="location-list"),
    path("clinic/locations/new/", clinic_setup.location_new, name="location-new"),
    path("clinic/locations/<uuid:code>/", clinic_setup.location_edit, name="location-edit"),
    path("clinic/locations/<uuid:code>/rooms/", clinic_setup.room_new, name="room-new"),
    path("clinic/rooms/<uuid:code>/", clinic_setup.room_edit, name="room-edit"),
    path(
        "clinic/locations/<uuid:code>/hours/",
        clinic_setup.opening_hours_add,
        name="opening-hours-add",
    ),
    path(
        "clinic/locations/<uuid:code>/hours/<int:pk>/remove/",
        clinic_setup.opening_hours_remove,
        name="opening-hours-remove",
    ),
    path("clinic/locations/<uuid:code>/closures/", clinic_setup.closure_add, name="closure-add"),
    path("clinic/closures/<uuid:code>/remove/", clinic_setup.closure_remove, name="closure-remove"),
]

staff_admin_urls = [
    path("staff/", staff_admin.staff_list_page, name="staff-list"),
    path("staff/invite/", staff_admin.staff_invite_page, name="staff-invite"),
    path(
        "staff/invitations/<uuid:code>/resend/",
        staff_admin.staff_invitation_resend_view,
        name="staff-invitation-resend",
    ),
    path(
        "staff/invitations/<uuid:code>/withdraw/",
        staff_admin.staff_invitation_withdraw_view,
        name="staff-invitation-withdraw",
    ),
    path("staff/<uuid:code>/", staff_admin.staff_member, name="staff-member"),
    path("staff/<uuid:code>/active/", staff_admin.staff_member_active, name="staff-member-active"),
    path(
        "staff/<uuid:code>/password-reset/",
        staff_admin.staff_member_password_reset,
        name="staff-member-password-reset",
    ),
]

urlpatterns = [
    path("", today.today, name="today"),
    *patient_urls,
    *evaluation_urls,
    *course_urls,
    *questionnaire_urls,
    *session_urls,
    *dosing_urls,
    *protocol_urls,
    *compounding_urls,
    *instrument_urls,
    *diary_urls,
    *adverse_event_urls,
    *last_urls,
    *outcome_urls,
    *article_urls,
    *shared_document_urls,
    *consent_urls,
    *pdf_urls,
    *setup_urls,
    *staff_admin_urls,
]
