-- A labeled event carries the cluster's members most similar to it (ClusterStore.samples: order by similarity
-- desc, feedback_id, limit n). With only (cluster_id) indexed, every labeled event read and sorted all of the
-- cluster's members, so a batch joining a big cluster cost time in its size: on the local stack, one cluster of
-- 65k members read whole for every batch (2,760 sequential scans, 177M rows, in a 15-minute benchmark). This index
-- answers the query with n index entries (65k members: 24.5 ms → 0.27 ms); it also serves every other "where cluster_id = ?", so the old index goes.
create index assignment_samples on assignment (cluster_id, similarity desc, feedback_id);
drop index assignment_by_cluster;
