"""The municipal counter: clerks take, check and forward applications, and follow their municipality's work."""
