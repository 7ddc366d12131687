package dev.anonymoususers.containers;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs container tests where a Docker engine answers, skips them where none exists — except in CI (CI=true), which
 * has one: there a missing engine fails the tests, so they are never skipped unnoticed.
 */
class DockerEngine implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (DockerClientFactory.instance().isDockerAvailable()) {
            return ConditionEvaluationResult.enabled("a Docker engine answers");
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("No Docker engine answers, and CI must run the container tests: start dockerd (.ci/run does)");
        }
        return ConditionEvaluationResult.disabled("No Docker engine on this machine: the container tests are skipped");
    }
}
