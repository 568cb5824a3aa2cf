"""Expands a SAM template (JSON on stdin) into the plain CloudFormation that the SAM transform deploys (JSON on
stdout), with the AWS SAM translator that cfn-lint ships and uses itself. cfn-guard's Control Tower rules match
AWS::Lambda::* types only, so they see the function only after this. The caller sets AWS_DEFAULT_REGION (the
translator needs a region for ARNs) and replaces local CodeUri paths with S3 URIs, as sam deploy does on upload."""
import json
import sys

from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
from samtranslator.translator.transform import transform


class NoManagedPolicies(ManagedPolicyLoader):
    """The template names no SAM policy templates or managed policies, so no IAM look-up is needed (or possible)."""

    def __init__(self):
        pass

    def load(self):
        return {}


json.dump(transform(json.load(sys.stdin), {}, NoManagedPolicies()), sys.stdout, indent=1)
