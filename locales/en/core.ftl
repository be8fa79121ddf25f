app-name = Liaison
lang-name = English
skip-to-content = Skip to content
nav-label = Main navigation
nav-home = Home
nav-dashboard = Dashboard
nav-users = Users
nav-zones = Zones
nav-settings = Settings
nav-audit = Audit log
nav-login = Sign in
nav-logout = Sign out
nav-menu = Menu
footer-line = Liaison 联络 · running an International Exchange Center
action-save = Save
action-create = Create
action-filter = Filter
filter-any = Any
filter-from = From
filter-to = To
notice-saved = Saved.
notice-fix-errors = Please correct the marked fields and submit again.
role-admin = Administrator
role-staff = Staff
role-interpreter = Interpreter
role-enterprise = Enterprise
role-oversight = Oversight (FAO)

## A new secret link, shown once
link-shown-once = Copy this address now: it is shown only this once. Liaison keeps only a fingerprint of it, so nobody (not even an administrator) can look it up later. If it is lost, make a new one; the old one then stops working.
link-address = Address
link-keep-secret = Whoever has this address can open it without signing in: share it only with who needs it.
link-back = Done
link-made = Made on { $date }
link-none = Not made yet

## Paged lists
list-first-page = First page
list-next-page = Next page
notify-approval = Waiting for approval: { $title }
notify-approval-body = A new request waits in the approval inbox: { $title }.
weekday-mo = Mon
weekday-tu = Tue
weekday-we = Wed
weekday-th = Thu
weekday-fr = Fri
weekday-sa = Sat
weekday-su = Sun
