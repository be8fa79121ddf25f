-- The center's bookings in a window (the dashboard's week, the API list):
-- by start, bounded on both sides (no booking lasts more than a day).
CREATE INDEX booking_center_time_idx ON booking (center_id, starts_at);
