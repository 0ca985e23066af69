from django.urls import include, path

urlpatterns = [
    path("accounts/", include("prolo.accounts.urls")),
    path("portal/", include("prolo.portal.urls")),
    path("fhir/", include("prolo.fhir.urls")),
    path("api/", include("prolo.api.urls")),
    path("", include("prolo.staff.urls")),
]

handler404 = "prolo.errors.not_found"
handler500 = "prolo.errors.server_error"
