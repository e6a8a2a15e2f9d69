import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { ServiceName, ledgerTableName } from '@lockdown/contracts';

/**
 * A service's ledger (partition key: the entity's ARN), kept on deletion and recoverable to any
 * second: it holds the pre-containment state that release restores. Added to its scope as `Ledger`.
 */
export const ledgerTable = (scope: Construct, service: ServiceName) =>
  new dynamodb.Table(scope, 'Ledger', {
    tableName: ledgerTableName(service),
    partitionKey: { name: 'arn', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
