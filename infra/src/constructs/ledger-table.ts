import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { LEDGER_EXPIRY_ATTRIBUTE, ServiceName, ledgerTableName } from '@lockdown/contracts';

/**
 * A service's ledger (partition key: the entity's ARN), kept on deletion and recoverable to any
 * second: it holds the pre-containment state that release restores. It also holds the service's
 * shared API budgets (an item per account, region and API), which expire by DynamoDB's TTL once
 * unused; a ledger record never carries the TTL attribute. Added to its scope as `Ledger`.
 */
export const ledgerTable = (scope: Construct, service: ServiceName) =>
  new dynamodb.Table(scope, 'Ledger', {
    tableName: ledgerTableName(service),
    partitionKey: { name: 'arn', type: dynamodb.AttributeType.STRING },
    timeToLiveAttribute: LEDGER_EXPIRY_ATTRIBUTE,
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
