import { Annotations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { ResolvedNetwork } from '../config/types';
import { FunctionNetwork } from './service-function';

/**
 * The network through which the backup and restore functions reach Redis: an existing VPC and
 * subnets (imported from the configuration, no lookups: synth stays offline), the functions'
 * security groups, an S3 gateway endpoint so snapshot bytes do not pass (and pay) a NAT gateway,
 * and optionally a Secrets Manager interface endpoint.
 */
export class BackupNetwork extends Construct implements FunctionNetwork {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.ISubnet[];
  readonly securityGroups: ec2.ISecurityGroup[];
  /** The security group created for the functions when the configuration names none. */
  readonly createdSecurityGroup: ec2.SecurityGroup | null;
  readonly s3Endpoint: ec2.GatewayVpcEndpoint | null;
  readonly secretsManagerEndpoint: ec2.InterfaceVpcEndpoint | null;

  constructor(scope: Construct, id: string, props: { network: ResolvedNetwork; serviceName: string }) {
    super(scope, id);
    const n = props.network;
    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: n.vpcId,
      // One zone per subnet (repeats allowed): only used to group the subnets below.
      availabilityZones: n.subnets.map((s) => s.availabilityZone),
      privateSubnetIds: n.subnets.map((s) => s.subnetId),
      privateSubnetRouteTableIds: n.subnets.map((s) => s.routeTableId),
    });
    this.subnets = n.subnets.map((s, i) =>
      ec2.Subnet.fromSubnetAttributes(this, `Subnet${i}`, { subnetId: s.subnetId, availabilityZone: s.availabilityZone, routeTableId: s.routeTableId }),
    );
    if (n.securityGroupIds.length > 0) {
      this.createdSecurityGroup = null;
      this.securityGroups = n.securityGroupIds.map((sgId, i) => ec2.SecurityGroup.fromSecurityGroupId(this, `SecurityGroup${i}`, sgId));
    } else {
      this.createdSecurityGroup = new ec2.SecurityGroup(this, 'FunctionSecurityGroup', {
        vpc: this.vpc,
        description: `${props.serviceName} functions: allow this group on the Redis port of the sources and restore targets`,
        allowAllOutbound: true,
      });
      this.securityGroups = [this.createdSecurityGroup];
      // The EFS connection asks for an NFS egress rule, which all-outbound already covers.
      Annotations.of(this.createdSecurityGroup).acknowledgeWarning(
        '@aws-cdk/aws-ec2:ipv4IgnoreEgressRule',
        'The functions\' security group allows all outbound traffic (Redis endpoints are host names, S3 and Secrets Manager are reached on 443): the NFS egress rule the EFS mount adds is covered',
      );
    }
    this.s3Endpoint =
      n.s3GatewayEndpoint === 'create' ? new ec2.GatewayVpcEndpoint(this, 'S3Endpoint', { vpc: this.vpc, service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnets: this.subnets }] }) : null;
    if (n.secretsManagerEndpoint === 'create') {
      const endpointSg = new ec2.SecurityGroup(this, 'SecretsManagerEndpointSecurityGroup', {
        vpc: this.vpc,
        description: `${props.serviceName}: HTTPS from the functions to the Secrets Manager endpoint`,
        allowAllOutbound: false,
      });
      for (const sg of this.securityGroups) endpointSg.addIngressRule(ec2.Peer.securityGroupId(sg.securityGroupId), ec2.Port.tcp(443), 'redis-backup functions');
      // An interface endpoint takes at most one subnet per zone.
      const perZone = new Map<string, ec2.ISubnet>();
      for (const s of this.subnets) if (!perZone.has(s.availabilityZone)) perZone.set(s.availabilityZone, s);
      this.secretsManagerEndpoint = new ec2.InterfaceVpcEndpoint(this, 'SecretsManagerEndpoint', {
        vpc: this.vpc,
        service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
        subnets: { subnets: [...perZone.values()] },
        securityGroups: [endpointSg],
        privateDnsEnabled: true,
        open: false,
      });
    } else {
      this.secretsManagerEndpoint = null;
    }
  }
}
