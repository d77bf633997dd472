-- The store's snapshot list for the home page: one row per load, newest first (no personal data).
SELECT load_id, strftime(loaded_at AT TIME ZONE 'Asia/Tokyo', '%Y-%m-%d %H:%M:%S') AS loaded_at,
  municipality_code, municipality_name, strftime(processed_through, '%Y-%m-%d') AS processed_through,
  history_mode, encoding, residents_rows, history_rows, history_rows_new, duration_ms
FROM loads
ORDER BY load_id DESC;
