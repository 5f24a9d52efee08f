-- The member most central to the cluster seen so far, kept so that relabelling a cluster that doubled can choose
-- among more than the current batch's members: the store keeps only the centroid sum, not members' vectors.
-- Each batch that changes the cluster re-judges it against the new centroid beside the batch's new members.
-- Null for clusters stored before this column existed (they start keeping one at their next change).
alter table cluster
    add column label_candidate_id     text,
    add column label_candidate_text   text,
    -- the candidate's unit embedding, little-endian float32 like centroid_sum
    add column label_candidate_vector bytea;
