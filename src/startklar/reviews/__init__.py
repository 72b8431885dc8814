"""Quality reviews of AI output: sampled human judgement with honest error rates (issue 14)."""
