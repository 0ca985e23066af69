from django.urls import path

from prolo.portal.views import auth, home
from prolo.portal.views import calendar as calendar_views
from prolo.portal.views import consent as consent_views
from prolo.portal.views import diary as diary_views
from prolo.portal.views import documents as document_views
from prolo.portal.views import learn as learn_views
from prolo.portal.views import pdfs as pdf_views
from prolo.portal.views import preferences as preference_views
from prolo.portal.views import questionnaires as questionnaire_views

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("consent/", consent_views.consent_list, name="consent"),
    path("consent/<uuid:code>/", consent_views.consent_sign, name="consent-sign"),
    path("consent/withdraw/<uuid:code>/", consent_views.consent_withdraw, name="consent-withdraw"),
    path("learn/", learn_views.learn, name="learn"),
    path("learn/<slug:slug>/", learn_views.learn_article, name="learn-article"),
    path("documents/", document_views.documents, name="documents"),
    path("documents/<uuid:code>/", document_views.document_file, name="document-file"),
    path("questionnaires/", questionnaire_views.questionnaire_list, name="questionnaires"),
    path(
        "questionnaires/<uuid:course>/<str:instrument>/<str:timepoint>/",
        questionnaire_views.questionnaire_answer,
        name="questionnaire-answer",
    ),
    path(
        "questionnaires/done/<uuid:code>/",
        questionnaire_views.questionnaire_done,
        name="questionnaire-done",
    ),
    path("diary/", diary_views.diary, name="diary"),
    path("diary/<uuid:code>/day-<int:day>/", diary_views.diary_day, name="diary-day"),
    path("diary/<uuid:code>/day-<int:day>/saved/", diary_views.diary_done, name="diary-done"),
    path("problem/", diary_views.problem, name="problem"),
    path("problem/sent/", diary_views.problem_done, name="problem-done"),
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    path("calendar/new/", calendar_views.feed_create, name="calendar-create"),
    path("calendar/off/", calendar_views.feed_revoke, name="calendar-revoke"),
    path("calendar/<str:token>.ics", calendar_views.feed, name="calendar-feed"),
    path("sessions/<uuid:code>/session.ics", calendar_views.session_ics, name="session-ics"),
    path("sessions/<uuid:code>/plan.pdf", pdf_views.handout_pdf_download, name="handout-pdf"),
    path("consent/<uuid:code>/consent.pdf", pdf_views.consent_pdf_download, name="consent-pdf"),
    path(
        "courses/<uuid:code>/letter.pdf",
        pdf_views.course_letter_pdf_download,
        name="course-letter-pdf",
    ),
    path("sign-in/", auth.sign_in, name="sign-in"),
    path("sign-out/", auth.sign_out, name="sign-out"),
    path("password-reset/", auth.password_reset, name="password-reset"),
    path("password-reset/sent/", auth.password_reset_sent, name="password-reset-sent"),
    path(
        "reset/<str:uidb64>/<str:token>/",
        auth.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("invitation/<str:token>/", auth.accept_invitation, name="accept-invitation"),
    path("display/", preference_views.preferences_page, name="preferences"),
    path("language/", preference_views.language, name="language"),
]
