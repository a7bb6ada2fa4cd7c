"""The app as served: ``streamlit run server.py`` (see the README's run command).

Streamlit's server with one addition in front: every browser gets a signed, HttpOnly cookie of its
own with the page, so that a local login survives a reload for the idle time
(access/browser_login.py). The pages are those of ``app.py``.
"""

import streamlit as st
from starlette.middleware import Middleware

from access.browser_login import CookieMiddleware

app = st.App("app.py", middleware=[Middleware(CookieMiddleware)])
