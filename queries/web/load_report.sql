-- One load's report (the JSON the loader printed and kept), for the home page.
SELECT report_json FROM loads WHERE load_id = $load_id;
