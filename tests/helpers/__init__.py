"""The shared helpers of the tests, in one place: test modules import from here, never from each
other (tests/test_house.py checks it), and conftest.py files hold fixtures only.

- paths: the project root, app.py, the test files (tests/files/…)
- environment: the test date, the demo's size, the test password, KIM_* settings for a run
- cli: the command lines run as a user would (``python -m …``) or in this process
- databases: a copy of a database marked as real data, a small upload, the number of uploads
- apptest: the app in AppTest: pointed at a database and user file, started, signed in, on a page;
  the shown tables
- shown_text: Markdown as Streamlit renders it
- browser: the app served by ``streamlit run`` for the browser tests
- official: the official example tables (tests/files/amtlich/) and a demo database with them
- oracle: the independent plain-Python implementation of the catalogue
- values: the indicator values of ``python -m metrics values`` compared with expected ones
- random_data: random delivery files for the oracle comparison
- corpus: the ingest command's JSON report of the file corpora, checked
- faults: a folder nothing can be written into, a full disk
- plan: the hand-planned data set of the briefing tests
- cases: a small hand-counted case list of the breakdown tests
"""
