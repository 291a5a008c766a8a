from django.urls import path

from accounts import views

app_name = "coordinator"
urlpatterns = [
    path("", views.coordinator_home, name="home"),
    path("coordinators/invite/", views.invite_coordinator, name="invite"),
    path("coordinators/invitations/<int:pk>/cancel/", views.revoke_invitation, name="revoke_invitation"),
    path("coordinators/<int:pk>/remove/", views.remove_coordinator, name="remove_coordinator"),
]
