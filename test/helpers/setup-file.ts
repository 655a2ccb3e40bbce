// Runs before every test file: the run's database and secrets become the process env.
import { inject } from "vitest";

Object.assign(process.env, inject("testEnv"));
