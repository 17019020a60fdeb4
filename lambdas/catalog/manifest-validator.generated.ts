// Generated from manifest.schema.json by ajv's standalone code: do not edit.
// test/catalog/manifest-validator.test.ts fails when it is stale; `npm run gen:validator` writes it again.
// Compiled ahead of time so that no command pays for compiling the schema at start-up.
/* eslint-disable */
// @ts-nocheck
"use strict";
export const validate = validate20;
export default validate20;
const schema31 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://github.com/redis-backup/redis-backup/manifest.schema.json","title":"redis-backup snapshot manifest","description":"A snapshot manifest: kind \"rdb\" (an RDB in chunks) or kind \"aof\" (the files of an append-only file)","type":"object","required":["kind"],"properties":{"kind":{"enum":["rdb","aof"]}},"if":{"type":"object","required":["kind"],"properties":{"kind":{"const":"aof"}}},"then":{"$ref":"#/$defs/aofManifest"},"else":{"$ref":"#/$defs/rdbManifest"},"$defs":{"rdbManifest":{"description":"An RDB snapshot (kind rdb)","type":"object","additionalProperties":false,"required":["formatVersion","kind","snapshotId","source","method","endpoint","importedFrom","startedAt","finishedAt","timings","server","rdb","keys","functions","raw","stored","chunks","tool"],"properties":{"formatVersion":{"const":1},"kind":{"const":"rdb"},"snapshotId":{"type":"string","pattern":"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$"},"source":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"},"method":{"enum":["replication","bgsave","import"]},"endpoint":{"type":["string","null"]},"importedFrom":{"type":["string","null"]},"startedAt":{"type":"string","format":"date-time"},"finishedAt":{"type":"string","format":"date-time"},"timings":{"type":"object","additionalProperties":false,"required":["firstByteMs","totalMs"],"properties":{"firstByteMs":{"$ref":"#/$defs/count"},"totalMs":{"$ref":"#/$defs/count"}}},"server":{"oneOf":[{"type":"null"},{"type":"object","additionalProperties":false,"required":["engine","version","role"],"properties":{"engine":{"enum":["redis","valkey"]},"version":{"type":"string"},"role":{"type":["string","null"]}}}]},"rdb":{"type":"object","additionalProperties":false,"required":["version","checksum","crc64","aux","replId","replOffset"],"properties":{"version":{"type":"integer","minimum":1,"maximum":12},"checksum":{"enum":["ok","none","absent"]},"crc64":{"oneOf":[{"type":"null"},{"$ref":"#/$defs/hex64"}]},"aux":{"type":"object","additionalProperties":{"type":"string"}},"replId":{"type":["string","null"]},"replOffset":{"type":["integer","null"],"minimum":0}}},"keys":{"type":"object","additionalProperties":false,"required":["total","expiring","byDb"],"properties":{"total":{"$ref":"#/$defs/count"},"expiring":{"$ref":"#/$defs/count"},"byDb":{"type":"object","propertyNames":{"pattern":"^[0-9]+$"},"additionalProperties":{"type":"object","additionalProperties":false,"required":["keys","expiring","byType"],"properties":{"keys":{"$ref":"#/$defs/count"},"expiring":{"$ref":"#/$defs/count"},"byType":{"type":"object","additionalProperties":{"$ref":"#/$defs/count"}}}}}}},"functions":{"type":"array","items":{"type":"string"}},"raw":{"type":"object","additionalProperties":false,"required":["bytes","sha256"],"properties":{"bytes":{"$ref":"#/$defs/count"},"sha256":{"$ref":"#/$defs/sha256"}}},"stored":{"type":"object","additionalProperties":false,"required":["object","bytes","sha256","compression"],"properties":{"object":{"type":"string","pattern":"^[A-Za-z0-9._-]+$"},"bytes":{"$ref":"#/$defs/count"},"sha256":{"$ref":"#/$defs/sha256"},"compression":{"type":"object","additionalProperties":false,"required":["algorithm","level"],"properties":{"algorithm":{"const":"zstd"},"level":{"type":"integer","minimum":-7,"maximum":22}}}}},"chunks":{"type":"array","minItems":1,"items":{"type":"object","additionalProperties":false,"required":["index","raw","stored","db","sha256","storedSha256","keys"],"properties":{"index":{"$ref":"#/$defs/count"},"raw":{"$ref":"#/$defs/range"},"stored":{"$ref":"#/$defs/range"},"db":{"$ref":"#/$defs/count"},"sha256":{"$ref":"#/$defs/sha256"},"storedSha256":{"$ref":"#/$defs/sha256"},"keys":{"$ref":"#/$defs/count"}}}},"tool":{"type":"object","additionalProperties":false,"required":["name","version"],"properties":{"name":{"const":"redis-backup"},"version":{"type":"string"}}}}},"aofManifest":{"description":"An AOF snapshot (kind aof): one zstd object per AOF file","type":"object","additionalProperties":false,"required":["formatVersion","kind","snapshotId","source","method","endpoint","importedFrom","startedAt","finishedAt","timings","server","aof","baseKeys","files","raw","stored","tool"],"properties":{"formatVersion":{"const":1},"kind":{"const":"aof"},"snapshotId":{"type":"string","pattern":"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$"},"source":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"},"method":{"enum":["bgsave","import"]},"endpoint":{"type":["string","null"]},"importedFrom":{"type":["string","null"]},"startedAt":{"type":"string","format":"date-time"},"finishedAt":{"type":"string","format":"date-time"},"timings":{"type":"object","additionalProperties":false,"required":["firstByteMs","totalMs"],"properties":{"firstByteMs":{"$ref":"#/$defs/count"},"totalMs":{"$ref":"#/$defs/count"}}},"server":{"oneOf":[{"type":"null"},{"type":"object","additionalProperties":false,"required":["engine","version","role"],"properties":{"engine":{"enum":["redis","valkey"]},"version":{"type":"string"},"role":{"type":["string","null"]}}}]},"aof":{"type":"object","additionalProperties":false,"required":["layout","dirName","manifestName","rdbVersion","timestamps"],"properties":{"layout":{"enum":["multi-part","single"]},"dirName":{"type":["string","null"],"minLength":1,"pattern":"^(?!\\.\\.?$)[^/\\\\]+$"},"manifestName":{"type":["string","null"],"minLength":1,"pattern":"^(?!\\.\\.?$)[^/\\\\]+$"},"rdbVersion":{"type":["integer","null"],"minimum":1},"timestamps":{"$ref":"#/$defs/timestamps"}}},"baseKeys":{"type":["integer","null"],"minimum":0},"files":{"type":"array","minItems":1,"items":{"$ref":"#/$defs/aofFile"}},"raw":{"type":"object","additionalProperties":false,"required":["bytes"],"properties":{"bytes":{"$ref":"#/$defs/count"}}},"stored":{"type":"object","additionalProperties":false,"required":["bytes","compression"],"properties":{"bytes":{"$ref":"#/$defs/count"},"compression":{"type":"object","additionalProperties":false,"required":["algorithm","level"],"properties":{"algorithm":{"const":"zstd"},"level":{"type":"integer","minimum":-7,"maximum":22}}}}},"tool":{"type":"object","additionalProperties":false,"required":["name","version"],"properties":{"name":{"const":"redis-backup"},"version":{"type":"string"}}}}},"aofFile":{"type":"object","additionalProperties":false,"required":["name","type","seq","object","format","raw","stored","commands","timestamps"],"properties":{"name":{"type":"string","minLength":1,"pattern":"^(?!\\.\\.?$)[^/\\\\]+$"},"type":{"enum":["manifest","base","incr","single"]},"seq":{"type":["integer","null"]},"object":{"type":"string","pattern":"^aof/[^/]+\\.zst$"},"format":{"enum":["rdb","resp","text"]},"raw":{"type":"object","additionalProperties":false,"required":["bytes","sha256"],"properties":{"bytes":{"$ref":"#/$defs/count"},"sha256":{"$ref":"#/$defs/sha256"}}},"stored":{"type":"object","additionalProperties":false,"required":["bytes","sha256"],"properties":{"bytes":{"$ref":"#/$defs/count"},"sha256":{"$ref":"#/$defs/sha256"}}},"commands":{"$ref":"#/$defs/count"},"timestamps":{"$ref":"#/$defs/timestamps"},"truncatedTail":{"oneOf":[{"type":"null"},{"type":"object","additionalProperties":false,"required":["at","bytes","reason"],"properties":{"at":{"$ref":"#/$defs/count"},"bytes":{"$ref":"#/$defs/count"},"reason":{"enum":["incomplete-command","open-multi"]}}}]}}},"count":{"type":"integer","minimum":0},"sha256":{"type":"string","pattern":"^[0-9a-f]{64}$"},"hex64":{"type":"string","pattern":"^[0-9a-f]{16}$"},"range":{"type":"object","additionalProperties":false,"required":["offset","length"],"properties":{"offset":{"$ref":"#/$defs/count"},"length":{"$ref":"#/$defs/count"}}},"timestamps":{"oneOf":[{"type":"null"},{"type":"object","additionalProperties":false,"required":["first","last"],"properties":{"first":{"type":"integer"},"last":{"type":"integer"}}}]}}};
const schema32 = {"description":"An AOF snapshot (kind aof): one zstd object per AOF file","type":"object","additionalProperties":false,"required":["formatVersion","kind","snapshotId","source","method","endpoint","importedFrom","startedAt","finishedAt","timings","server","aof","baseKeys","files","raw","stored","tool"],"properties":{"formatVersion":{"const":1},"kind":{"const":"aof"},"snapshotId":{"type":"string","pattern":"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$"},"source":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"},"method":{"enum":["bgsave","import"]},"endpoint":{"type":["string","null"]},"importedFrom":{"type":["string","null"]},"startedAt":{"type":"string","format":"date-time"},"finishedAt":{"type":"string","format":"date-time"},"timings":{"type":"object","additionalProperties":false,"required":["firstByteMs","totalMs"],"properties":{"firstByteMs":{"$ref":"#/$defs/count"},"totalMs":{"$ref":"#/$defs/count"}}},"server":{"oneOf":[{"type":"null"},{"type":"object","additionalProperties":false,"required":["engine","version","role"],"properties":{"engine":{"enum":["redis","valkey"]},"version":{"type":"string"},"role":{"type":["string","null"]}}}]},"aof":{"type":"object","additionalProperties":false,"required":["layout","dirName","manifestName","rdbVersion","timestamps"],"properties":{"layout":{"enum":["multi-part","single"]},"dirName":{"type":["string","null"],"minLength":1,"pattern":"^(?!\\.\\.?$)[^/\\\\]+$"},"manifestName":{"type":["string","null"],"minLength":1,"pattern":"^(?!\\.\\.?$)[^/\\\\]+$"},"rdbVersion":{"type":["integer","null"],"minimum":1},"timestamps":{"$ref":"#/$defs/timestamps"}}},"baseKeys":{"type":["integer","null"],"minimum":0},"files":{"type":"array","minItems":1,"items":{"$ref":"#/$defs/aofFile"}},"raw":{"type":"object","additionalProperties":false,"required":["bytes"],"properties":{"bytes":{"$ref":"#/$defs/count"}}},"stored":{"type":"object","additionalProperties":false,"required":["bytes","compression"],"properties":{"bytes":{"$ref":"#/$defs/count"},"compression":{"type":"object","additionalProperties":false,"required":["algorithm","level"],"properties":{"algorithm":{"const":"zstd"},"level":{"type":"integer","minimum":-7,"maximum":22}}}}},"tool":{"type":"object","additionalProperties":false,"required":["name","version"],"properties":{"name":{"const":"redis-backup"},"version":{"type":"string"}}}}};
const schema33 = {"type":"integer","minimum":0};
const schema35 = {"oneOf":[{"type":"null"},{"type":"object","additionalProperties":false,"required":["first","last"],"properties":{"first":{"type":"integer"},"last":{"type":"integer"}}}]};
const func1 = Object.prototype.hasOwnProperty;
const func2 = require("ajv/dist/runtime/ucs2length").default;
const pattern4 = new RegExp("^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$", "u");
const pattern5 = new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", "u");
const pattern6 = new RegExp("^(?!\\.\\.?$)[^/\\\\]+$", "u");
const formats0 = require("./manifest-formats").formats["date-time"];
const schema36 = {"type":"object","additionalProperties":false,"required":["name","type","seq","object","format","raw","stored","commands","timestamps"],"properties":{"name":{"type":"string","minLength":1,"pattern":"^(?!\\.\\.?$)[^/\\\\]+$"},"type":{"enum":["manifest","base","incr","single"]},"seq":{"type":["integer","null"]},"object":{"type":"string","pattern":"^aof/[^/]+\\.zst$"},"format":{"enum":["rdb","resp","text"]},"raw":{"type":"object","additionalProperties":false,"required":["bytes","sha256"],"properties":{"bytes":{"$ref":"#/$defs/count"},"sha256":{"$ref":"#/$defs/sha256"}}},"stored":{"type":"object","additionalProperties":false,"required":["bytes","sha256"],"properties":{"bytes":{"$ref":"#/$defs/count"},"sha256":{"$ref":"#/$defs/sha256"}}},"commands":{"$ref":"#/$defs/count"},"timestamps":{"$ref":"#/$defs/timestamps"},"truncatedTail":{"oneOf":[{"type":"null"},{"type":"object","additionalProperties":false,"required":["at","bytes","reason"],"properties":{"at":{"$ref":"#/$defs/count"},"bytes":{"$ref":"#/$defs/count"},"reason":{"enum":["incomplete-command","open-multi"]}}}]}}};
const schema38 = {"type":"string","pattern":"^[0-9a-f]{64}$"};
const pattern9 = new RegExp("^aof/[^/]+\\.zst$", "u");
const pattern10 = new RegExp("^[0-9a-f]{64}$", "u");

function validate22(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate22.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.name === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.type === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "type"},message:"must have required property '"+"type"+"'"};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.seq === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "seq"},message:"must have required property '"+"seq"+"'"};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data.object === undefined){
const err3 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "object"},message:"must have required property '"+"object"+"'"};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(data.format === undefined){
const err4 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "format"},message:"must have required property '"+"format"+"'"};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(data.raw === undefined){
const err5 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "raw"},message:"must have required property '"+"raw"+"'"};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
if(data.stored === undefined){
const err6 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "stored"},message:"must have required property '"+"stored"+"'"};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(data.commands === undefined){
const err7 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "commands"},message:"must have required property '"+"commands"+"'"};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(data.timestamps === undefined){
const err8 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "timestamps"},message:"must have required property '"+"timestamps"+"'"};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
for(const key0 in data){
if(!(func1.call(schema36.properties, key0))){
const err9 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.name !== undefined){
let data0 = data.name;
if(typeof data0 === "string"){
if(func2(data0) < 1){
const err10 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(!pattern6.test(data0)){
const err11 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/pattern",keyword:"pattern",params:{pattern: "^(?!\\.\\.?$)[^/\\\\]+$"},message:"must match pattern \""+"^(?!\\.\\.?$)[^/\\\\]+$"+"\""};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
else {
const err12 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data.type !== undefined){
let data1 = data.type;
if(!((((data1 === "manifest") || (data1 === "base")) || (data1 === "incr")) || (data1 === "single"))){
const err13 = {instancePath:instancePath+"/type",schemaPath:"#/properties/type/enum",keyword:"enum",params:{allowedValues: schema36.properties.type.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data.seq !== undefined){
let data2 = data.seq;
if((!(((typeof data2 == "number") && (!(data2 % 1) && !isNaN(data2))) && (isFinite(data2)))) && (data2 !== null)){
const err14 = {instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/type",keyword:"type",params:{type: schema36.properties.seq.type},message:"must be integer,null"};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data.object !== undefined){
let data3 = data.object;
if(typeof data3 === "string"){
if(!pattern9.test(data3)){
const err15 = {instancePath:instancePath+"/object",schemaPath:"#/properties/object/pattern",keyword:"pattern",params:{pattern: "^aof/[^/]+\\.zst$"},message:"must match pattern \""+"^aof/[^/]+\\.zst$"+"\""};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
else {
const err16 = {instancePath:instancePath+"/object",schemaPath:"#/properties/object/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data.format !== undefined){
let data4 = data.format;
if(!(((data4 === "rdb") || (data4 === "resp")) || (data4 === "text"))){
const err17 = {instancePath:instancePath+"/format",schemaPath:"#/properties/format/enum",keyword:"enum",params:{allowedValues: schema36.properties.format.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
if(data.raw !== undefined){
let data5 = data.raw;
if(data5 && typeof data5 == "object" && !Array.isArray(data5)){
if(data5.bytes === undefined){
const err18 = {instancePath:instancePath+"/raw",schemaPath:"#/properties/raw/required",keyword:"required",params:{missingProperty: "bytes"},message:"must have required property '"+"bytes"+"'"};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
if(data5.sha256 === undefined){
const err19 = {instancePath:instancePath+"/raw",schemaPath:"#/properties/raw/required",keyword:"required",params:{missingProperty: "sha256"},message:"must have required property '"+"sha256"+"'"};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
for(const key1 in data5){
if(!((key1 === "bytes") || (key1 === "sha256"))){
const err20 = {instancePath:instancePath+"/raw",schemaPath:"#/properties/raw/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data5.bytes !== undefined){
let data6 = data5.bytes;
if(!(((typeof data6 == "number") && (!(data6 % 1) && !isNaN(data6))) && (isFinite(data6)))){
const err21 = {instancePath:instancePath+"/raw/bytes",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
if((typeof data6 == "number") && (isFinite(data6))){
if(data6 < 0 || isNaN(data6)){
const err22 = {instancePath:instancePath+"/raw/bytes",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
}
if(data5.sha256 !== undefined){
let data7 = data5.sha256;
if(typeof data7 === "string"){
if(!pattern10.test(data7)){
const err23 = {instancePath:instancePath+"/raw/sha256",schemaPath:"#/$defs/sha256/pattern",keyword:"pattern",params:{pattern: "^[0-9a-f]{64}$"},message:"must match pattern \""+"^[0-9a-f]{64}$"+"\""};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
else {
const err24 = {instancePath:instancePath+"/raw/sha256",schemaPath:"#/$defs/sha256/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
}
else {
const err25 = {instancePath:instancePath+"/raw",schemaPath:"#/properties/raw/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
if(data.stored !== undefined){
let data8 = data.stored;
if(data8 && typeof data8 == "object" && !Array.isArray(data8)){
if(data8.bytes === undefined){
const err26 = {instancePath:instancePath+"/stored",schemaPath:"#/properties/stored/required",keyword:"required",params:{missingProperty: "bytes"},message:"must have required property '"+"bytes"+"'"};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
if(data8.sha256 === undefined){
const err27 = {instancePath:instancePath+"/stored",schemaPath:"#/properties/stored/required",keyword:"required",params:{missingProperty: "sha256"},message:"must have required property '"+"sha256"+"'"};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
for(const key2 in data8){
if(!((key2 === "bytes") || (key2 === "sha256"))){
const err28 = {instancePath:instancePath+"/stored",schemaPath:"#/properties/stored/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
if(data8.bytes !== undefined){
let data9 = data8.bytes;
if(!(((typeof data9 == "number") && (!(data9 % 1) && !isNaN(data9))) && (isFinite(data9)))){
const err29 = {instancePath:instancePath+"/stored/bytes",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
if((typeof data9 == "number") && (isFinite(data9))){
if(data9 < 0 || isNaN(data9)){
const err30 = {instancePath:instancePath+"/stored/bytes",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
}
if(data8.sha256 !== undefined){
let data10 = data8.sha256;
if(typeof data10 === "string"){
if(!pattern10.test(data10)){
const err31 = {instancePath:instancePath+"/stored/sha256",schemaPath:"#/$defs/sha256/pattern",keyword:"pattern",params:{pattern: "^[0-9a-f]{64}$"},message:"must match pattern \""+"^[0-9a-f]{64}$"+"\""};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
else {
const err32 = {instancePath:instancePath+"/stored/sha256",schemaPath:"#/$defs/sha256/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
}
else {
const err33 = {instancePath:instancePath+"/stored",schemaPath:"#/properties/stored/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
if(data.commands !== undefined){
let data11 = data.commands;
if(!(((typeof data11 == "number") && (!(data11 % 1) && !isNaN(data11))) && (isFinite(data11)))){
const err34 = {instancePath:instancePath+"/commands",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
if((typeof data11 == "number") && (isFinite(data11))){
if(data11 < 0 || isNaN(data11)){
const err35 = {instancePath:instancePath+"/commands",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
}
if(data.timestamps !== undefined){
let data12 = data.timestamps;
const _errs33 = errors;
let valid9 = false;
let passing0 = null;
const _errs34 = errors;
if(data12 !== null){
const err36 = {instancePath:instancePath+"/timestamps",schemaPath:"#/$defs/timestamps/oneOf/0/type",keyword:"type",params:{type: "null"},message:"must be null"};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
var _valid0 = _errs34 === errors;
if(_valid0){
valid9 = true;
passing0 = 0;
}
const _errs36 = errors;
if(data12 && typeof data12 == "object" && !Array.isArray(data12)){
if(data12.first === undefined){
const err37 = {instancePath:instancePath+"/timestamps",schemaPath:"#/$defs/timestamps/oneOf/1/required",keyword:"required",params:{missingProperty: "first"},message:"must have required property '"+"first"+"'"};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
if(data12.last === undefined){
const err38 = {instancePath:instancePath+"/timestamps",schemaPath:"#/$defs/timestamps/oneOf/1/required",keyword:"required",params:{missingProperty: "last"},message:"must have required property '"+"last"+"'"};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
for(const key3 in data12){
if(!((key3 === "first") || (key3 === "last"))){
const err39 = {instancePath:instancePath+"/timestamps",schemaPath:"#/$defs/timestamps/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
if(data12.first !== undefined){
let data13 = data12.first;
if(!(((typeof data13 == "number") && (!(data13 % 1) && !isNaN(data13))) && (isFinite(data13)))){
const err40 = {instancePath:instancePath+"/timestamps/first",schemaPath:"#/$defs/timestamps/oneOf/1/properties/first/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
if(data12.last !== undefined){
let data14 = data12.last;
if(!(((typeof data14 == "number") && (!(data14 % 1) && !isNaN(data14))) && (isFinite(data14)))){
const err41 = {instancePath:instancePath+"/timestamps/last",schemaPath:"#/$defs/timestamps/oneOf/1/properties/last/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
}
else {
const err42 = {instancePath:instancePath+"/timestamps",schemaPath:"#/$defs/timestamps/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
var _valid0 = _errs36 === errors;
if(_valid0 && valid9){
valid9 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid9 = true;
passing0 = 1;
}
}
if(!valid9){
const err43 = {instancePath:instancePath+"/timestamps",schemaPath:"#/$defs/timestamps/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
else {
errors = _errs33;
if(vErrors !== null){
if(_errs33){
vErrors.length = _errs33;
}
else {
vErrors = null;
}
}
}
}
if(data.truncatedTail !== undefined){
let data15 = data.truncatedTail;
const _errs44 = errors;
let valid11 = false;
let passing1 = null;
const _errs45 = errors;
if(data15 !== null){
const err44 = {instancePath:instancePath+"/truncatedTail",schemaPath:"#/properties/truncatedTail/oneOf/0/type",keyword:"type",params:{type: "null"},message:"must be null"};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
var _valid1 = _errs45 === errors;
if(_valid1){
valid11 = true;
passing1 = 0;
}
const _errs47 = errors;
if(data15 && typeof data15 == "object" && !Array.isArray(data15)){
if(data15.at === undefined){
const err45 = {instancePath:instancePath+"/truncatedTail",schemaPath:"#/properties/truncatedTail/oneOf/1/required",keyword:"required",params:{missingProperty: "at"},message:"must have required property '"+"at"+"'"};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
if(data15.bytes === undefined){
const err46 = {instancePath:instancePath+"/truncatedTail",schemaPath:"#/properties/truncatedTail/oneOf/1/required",keyword:"required",params:{missingProperty: "bytes"},message:"must have required property '"+"bytes"+"'"};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
if(data15.reason === undefined){
const err47 = {instancePath:instancePath+"/truncatedTail",schemaPath:"#/properties/truncatedTail/oneOf/1/required",keyword:"required",params:{missingProperty: "reason"},message:"must have required property '"+"reason"+"'"};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
for(const key4 in data15){
if(!(((key4 === "at") || (key4 === "bytes")) || (key4 === "reason"))){
const err48 = {instancePath:instancePath+"/truncatedTail",schemaPath:"#/properties/truncatedTail/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
}
if(data15.at !== undefined){
let data16 = data15.at;
if(!(((typeof data16 == "number") && (!(data16 % 1) && !isNaN(data16))) && (isFinite(data16)))){
const err49 = {instancePath:instancePath+"/truncatedTail/at",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
if((typeof data16 == "number") && (isFinite(data16))){
if(data16 < 0 || isNaN(data16)){
const err50 = {instancePath:instancePath+"/truncatedTail/at",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
}
}
if(data15.bytes !== undefined){
let data17 = data15.bytes;
if(!(((typeof data17 == "number") && (!(data17 % 1) && !isNaN(data17))) && (isFinite(data17)))){
const err51 = {instancePath:instancePath+"/truncatedTail/bytes",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
if((typeof data17 == "number") && (isFinite(data17))){
if(data17 < 0 || isNaN(data17)){
const err52 = {instancePath:instancePath+"/truncatedTail/bytes",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
}
}
if(data15.reason !== undefined){
let data18 = data15.reason;
if(!((data18 === "incomplete-command") || (data18 === "open-multi"))){
const err53 = {instancePath:instancePath+"/truncatedTail/reason",schemaPath:"#/properties/truncatedTail/oneOf/1/properties/reason/enum",keyword:"enum",params:{allowedValues: schema36.properties.truncatedTail.oneOf[1].properties.reason.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
}
}
else {
const err54 = {instancePath:instancePath+"/truncatedTail",schemaPath:"#/properties/truncatedTail/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
var _valid1 = _errs47 === errors;
if(_valid1 && valid11){
valid11 = false;
passing1 = [passing1, 1];
}
else {
if(_valid1){
valid11 = true;
passing1 = 1;
}
}
if(!valid11){
const err55 = {instancePath:instancePath+"/truncatedTail",schemaPath:"#/properties/truncatedTail/oneOf",keyword:"oneOf",params:{passingSchemas: passing1},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
else {
errors = _errs44;
if(vErrors !== null){
if(_errs44){
vErrors.length = _errs44;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err56 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
validate22.errors = vErrors;
return errors === 0;
}
validate22.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


function validate21(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate21.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.formatVersion === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "formatVersion"},message:"must have required property '"+"formatVersion"+"'"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.kind === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "kind"},message:"must have required property '"+"kind"+"'"};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.snapshotId === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "snapshotId"},message:"must have required property '"+"snapshotId"+"'"};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data.source === undefined){
const err3 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "source"},message:"must have required property '"+"source"+"'"};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(data.method === undefined){
const err4 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "method"},message:"must have required property '"+"method"+"'"};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(data.endpoint === undefined){
const err5 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "endpoint"},message:"must have required property '"+"endpoint"+"'"};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
if(data.importedFrom === undefined){
const err6 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "importedFrom"},message:"must have required property '"+"importedFrom"+"'"};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(data.startedAt === undefined){
const err7 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "startedAt"},message:"must have required property '"+"startedAt"+"'"};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(data.finishedAt === undefined){
const err8 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "finishedAt"},message:"must have required property '"+"finishedAt"+"'"};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
if(data.timings === undefined){
const err9 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "timings"},message:"must have required property '"+"timings"+"'"};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if(data.server === undefined){
const err10 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "server"},message:"must have required property '"+"server"+"'"};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(data.aof === undefined){
const err11 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "aof"},message:"must have required property '"+"aof"+"'"};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
if(data.baseKeys === undefined){
const err12 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "baseKeys"},message:"must have required property '"+"baseKeys"+"'"};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
if(data.files === undefined){
const err13 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "files"},message:"must have required property '"+"files"+"'"};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
if(data.raw === undefined){
const err14 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "raw"},message:"must have required property '"+"raw"+"'"};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
if(data.stored === undefined){
const err15 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "stored"},message:"must have required property '"+"stored"+"'"};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
if(data.tool === undefined){
const err16 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "tool"},message:"must have required property '"+"tool"+"'"};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
for(const key0 in data){
if(!(func1.call(schema32.properties, key0))){
const err17 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
if(data.formatVersion !== undefined){
if(1 !== data.formatVersion){
const err18 = {instancePath:instancePath+"/formatVersion",schemaPath:"#/properties/formatVersion/const",keyword:"const",params:{allowedValue: 1},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
if(data.kind !== undefined){
if("aof" !== data.kind){
const err19 = {instancePath:instancePath+"/kind",schemaPath:"#/properties/kind/const",keyword:"const",params:{allowedValue: "aof"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data.snapshotId !== undefined){
let data2 = data.snapshotId;
if(typeof data2 === "string"){
if(!pattern4.test(data2)){
const err20 = {instancePath:instancePath+"/snapshotId",schemaPath:"#/properties/snapshotId/pattern",keyword:"pattern",params:{pattern: "^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$"},message:"must match pattern \""+"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$"+"\""};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
else {
const err21 = {instancePath:instancePath+"/snapshotId",schemaPath:"#/properties/snapshotId/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
if(data.source !== undefined){
let data3 = data.source;
if(typeof data3 === "string"){
if(!pattern5.test(data3)){
const err22 = {instancePath:instancePath+"/source",schemaPath:"#/properties/source/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"+"\""};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
else {
const err23 = {instancePath:instancePath+"/source",schemaPath:"#/properties/source/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
if(data.method !== undefined){
let data4 = data.method;
if(!((data4 === "bgsave") || (data4 === "import"))){
const err24 = {instancePath:instancePath+"/method",schemaPath:"#/properties/method/enum",keyword:"enum",params:{allowedValues: schema32.properties.method.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
if(data.endpoint !== undefined){
let data5 = data.endpoint;
if((typeof data5 !== "string") && (data5 !== null)){
const err25 = {instancePath:instancePath+"/endpoint",schemaPath:"#/properties/endpoint/type",keyword:"type",params:{type: schema32.properties.endpoint.type},message:"must be string,null"};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
if(data.importedFrom !== undefined){
let data6 = data.importedFrom;
if((typeof data6 !== "string") && (data6 !== null)){
const err26 = {instancePath:instancePath+"/importedFrom",schemaPath:"#/properties/importedFrom/type",keyword:"type",params:{type: schema32.properties.importedFrom.type},message:"must be string,null"};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
if(data.startedAt !== undefined){
let data7 = data.startedAt;
if(typeof data7 === "string"){
if(!(formats0(data7))){
const err27 = {instancePath:instancePath+"/startedAt",schemaPath:"#/properties/startedAt/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
else {
const err28 = {instancePath:instancePath+"/startedAt",schemaPath:"#/properties/startedAt/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
if(data.finishedAt !== undefined){
let data8 = data.finishedAt;
if(typeof data8 === "string"){
if(!(formats0(data8))){
const err29 = {instancePath:instancePath+"/finishedAt",schemaPath:"#/properties/finishedAt/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
else {
const err30 = {instancePath:instancePath+"/finishedAt",schemaPath:"#/properties/finishedAt/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
if(data.timings !== undefined){
let data9 = data.timings;
if(data9 && typeof data9 == "object" && !Array.isArray(data9)){
if(data9.firstByteMs === undefined){
const err31 = {instancePath:instancePath+"/timings",schemaPath:"#/properties/timings/required",keyword:"required",params:{missingProperty: "firstByteMs"},message:"must have required property '"+"firstByteMs"+"'"};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
if(data9.totalMs === undefined){
const err32 = {instancePath:instancePath+"/timings",schemaPath:"#/properties/timings/required",keyword:"required",params:{missingProperty: "totalMs"},message:"must have required property '"+"totalMs"+"'"};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
for(const key1 in data9){
if(!((key1 === "firstByteMs") || (key1 === "totalMs"))){
const err33 = {instancePath:instancePath+"/timings",schemaPath:"#/properties/timings/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
if(data9.firstByteMs !== undefined){
let data10 = data9.firstByteMs;
if(!(((typeof data10 == "number") && (!(data10 % 1) && !isNaN(data10))) && (isFinite(data10)))){
const err34 = {instancePath:instancePath+"/timings/firstByteMs",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
if((typeof data10 == "number") && (isFinite(data10))){
if(data10 < 0 || isNaN(data10)){
const err35 = {instancePath:instancePath+"/timings/firstByteMs",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
}
if(data9.totalMs !== undefined){
let data11 = data9.totalMs;
if(!(((typeof data11 == "number") && (!(data11 % 1) && !isNaN(data11))) && (isFinite(data11)))){
const err36 = {instancePath:instancePath+"/timings/totalMs",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
if((typeof data11 == "number") && (isFinite(data11))){
if(data11 < 0 || isNaN(data11)){
const err37 = {instancePath:instancePath+"/timings/totalMs",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
}
}
else {
const err38 = {instancePath:instancePath+"/timings",schemaPath:"#/properties/timings/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
if(data.server !== undefined){
let data12 = data.server;
const _errs27 = errors;
let valid4 = false;
let passing0 = null;
const _errs28 = errors;
if(data12 !== null){
const err39 = {instancePath:instancePath+"/server",schemaPath:"#/properties/server/oneOf/0/type",keyword:"type",params:{type: "null"},message:"must be null"};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
var _valid0 = _errs28 === errors;
if(_valid0){
valid4 = true;
passing0 = 0;
}
const _errs30 = errors;
if(data12 && typeof data12 == "object" && !Array.isArray(data12)){
if(data12.engine === undefined){
const err40 = {instancePath:instancePath+"/server",schemaPath:"#/properties/server/oneOf/1/required",keyword:"required",params:{missingProperty: "engine"},message:"must have required property '"+"engine"+"'"};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
if(data12.version === undefined){
const err41 = {instancePath:instancePath+"/server",schemaPath:"#/properties/server/oneOf/1/required",keyword:"required",params:{missingProperty: "version"},message:"must have required property '"+"version"+"'"};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
if(data12.role === undefined){
const err42 = {instancePath:instancePath+"/server",schemaPath:"#/properties/server/oneOf/1/required",keyword:"required",params:{missingProperty: "role"},message:"must have required property '"+"role"+"'"};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
for(const key2 in data12){
if(!(((key2 === "engine") || (key2 === "version")) || (key2 === "role"))){
const err43 = {instancePath:instancePath+"/server",schemaPath:"#/properties/server/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
if(data12.engine !== undefined){
let data13 = data12.engine;
if(!((data13 === "redis") || (data13 === "valkey"))){
const err44 = {instancePath:instancePath+"/server/engine",schemaPath:"#/properties/server/oneOf/1/properties/engine/enum",keyword:"enum",params:{allowedValues: schema32.properties.server.oneOf[1].properties.engine.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
if(data12.version !== undefined){
if(typeof data12.version !== "string"){
const err45 = {instancePath:instancePath+"/server/version",schemaPath:"#/properties/server/oneOf/1/properties/version/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
if(data12.role !== undefined){
let data15 = data12.role;
if((typeof data15 !== "string") && (data15 !== null)){
const err46 = {instancePath:instancePath+"/server/role",schemaPath:"#/properties/server/oneOf/1/properties/role/type",keyword:"type",params:{type: schema32.properties.server.oneOf[1].properties.role.type},message:"must be string,null"};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
}
else {
const err47 = {instancePath:instancePath+"/server",schemaPath:"#/properties/server/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
var _valid0 = _errs30 === errors;
if(_valid0 && valid4){
valid4 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid4 = true;
passing0 = 1;
}
}
if(!valid4){
const err48 = {instancePath:instancePath+"/server",schemaPath:"#/properties/server/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
else {
errors = _errs27;
if(vErrors !== null){
if(_errs27){
vErrors.length = _errs27;
}
else {
vErrors = null;
}
}
}
}
if(data.aof !== undefined){
let data16 = data.aof;
if(data16 && typeof data16 == "object" && !Array.isArray(data16)){
if(data16.layout === undefined){
const err49 = {instancePath:instancePath+"/aof",schemaPath:"#/properties/aof/required",keyword:"required",params:{missingProperty: "layout"},message:"must have required property '"+"layout"+"'"};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
if(data16.dirName === undefined){
const err50 = {instancePath:instancePath+"/aof",schemaPath:"#/properties/aof/required",keyword:"required",params:{missingProperty: "dirName"},message:"must have required property '"+"dirName"+"'"};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
if(data16.manifestName === undefined){
const err51 = {instancePath:instancePath+"/aof",schemaPath:"#/properties/aof/required",keyword:"required",params:{missingProperty: "manifestName"},message:"must have required property '"+"manifestName"+"'"};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
if(data16.rdbVersion === undefined){
const err52 = {instancePath:instancePath+"/aof",schemaPath:"#/properties/aof/required",keyword:"required",params:{missingProperty: "rdbVersion"},message:"must have required property '"+"rdbVersion"+"'"};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
if(data16.timestamps === undefined){
const err53 = {instancePath:instancePath+"/aof",schemaPath:"#/properties/aof/required",keyword:"required",params:{missingProperty: "timestamps"},message:"must have required property '"+"timestamps"+"'"};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
for(const key3 in data16){
if(!(((((key3 === "layout") || (key3 === "dirName")) || (key3 === "manifestName")) || (key3 === "rdbVersion")) || (key3 === "timestamps"))){
const err54 = {instancePath:instancePath+"/aof",schemaPath:"#/properties/aof/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
}
if(data16.layout !== undefined){
let data17 = data16.layout;
if(!((data17 === "multi-part") || (data17 === "single"))){
const err55 = {instancePath:instancePath+"/aof/layout",schemaPath:"#/properties/aof/properties/layout/enum",keyword:"enum",params:{allowedValues: schema32.properties.aof.properties.layout.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
}
if(data16.dirName !== undefined){
let data18 = data16.dirName;
if((typeof data18 !== "string") && (data18 !== null)){
const err56 = {instancePath:instancePath+"/aof/dirName",schemaPath:"#/properties/aof/properties/dirName/type",keyword:"type",params:{type: schema32.properties.aof.properties.dirName.type},message:"must be string,null"};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
if(typeof data18 === "string"){
if(func2(data18) < 1){
const err57 = {instancePath:instancePath+"/aof/dirName",schemaPath:"#/properties/aof/properties/dirName/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
if(!pattern6.test(data18)){
const err58 = {instancePath:instancePath+"/aof/dirName",schemaPath:"#/properties/aof/properties/dirName/pattern",keyword:"pattern",params:{pattern: "^(?!\\.\\.?$)[^/\\\\]+$"},message:"must match pattern \""+"^(?!\\.\\.?$)[^/\\\\]+$"+"\""};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
}
}
if(data16.manifestName !== undefined){
let data19 = data16.manifestName;
if((typeof data19 !== "string") && (data19 !== null)){
const err59 = {instancePath:instancePath+"/aof/manifestName",schemaPath:"#/properties/aof/properties/manifestName/type",keyword:"type",params:{type: schema32.properties.aof.properties.manifestName.type},message:"must be string,null"};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
if(typeof data19 === "string"){
if(func2(data19) < 1){
const err60 = {instancePath:instancePath+"/aof/manifestName",schemaPath:"#/properties/aof/properties/manifestName/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
if(!pattern6.test(data19)){
const err61 = {instancePath:instancePath+"/aof/manifestName",schemaPath:"#/properties/aof/properties/manifestName/pattern",keyword:"pattern",params:{pattern: "^(?!\\.\\.?$)[^/\\\\]+$"},message:"must match pattern \""+"^(?!\\.\\.?$)[^/\\\\]+$"+"\""};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
}
}
if(data16.rdbVersion !== undefined){
let data20 = data16.rdbVersion;
if((!(((typeof data20 == "number") && (!(data20 % 1) && !isNaN(data20))) && (isFinite(data20)))) && (data20 !== null)){
const err62 = {instancePath:instancePath+"/aof/rdbVersion",schemaPath:"#/properties/aof/properties/rdbVersion/type",keyword:"type",params:{type: schema32.properties.aof.properties.rdbVersion.type},message:"must be integer,null"};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
if((typeof data20 == "number") && (isFinite(data20))){
if(data20 < 1 || isNaN(data20)){
const err63 = {instancePath:instancePath+"/aof/rdbVersion",schemaPath:"#/properties/aof/properties/rdbVersion/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
}
}
if(data16.timestamps !== undefined){
let data21 = data16.timestamps;
const _errs50 = errors;
let valid8 = false;
let passing1 = null;
const _errs51 = errors;
if(data21 !== null){
const err64 = {instancePath:instancePath+"/aof/timestamps",schemaPath:"#/$defs/timestamps/oneOf/0/type",keyword:"type",params:{type: "null"},message:"must be null"};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
var _valid1 = _errs51 === errors;
if(_valid1){
valid8 = true;
passing1 = 0;
}
const _errs53 = errors;
if(data21 && typeof data21 == "object" && !Array.isArray(data21)){
if(data21.first === undefined){
const err65 = {instancePath:instancePath+"/aof/timestamps",schemaPath:"#/$defs/timestamps/oneOf/1/required",keyword:"required",params:{missingProperty: "first"},message:"must have required property '"+"first"+"'"};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
if(data21.last === undefined){
const err66 = {instancePath:instancePath+"/aof/timestamps",schemaPath:"#/$defs/timestamps/oneOf/1/required",keyword:"required",params:{missingProperty: "last"},message:"must have required property '"+"last"+"'"};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
for(const key4 in data21){
if(!((key4 === "first") || (key4 === "last"))){
const err67 = {instancePath:instancePath+"/aof/timestamps",schemaPath:"#/$defs/timestamps/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
}
if(data21.first !== undefined){
let data22 = data21.first;
if(!(((typeof data22 == "number") && (!(data22 % 1) && !isNaN(data22))) && (isFinite(data22)))){
const err68 = {instancePath:instancePath+"/aof/timestamps/first",schemaPath:"#/$defs/timestamps/oneOf/1/properties/first/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
}
if(data21.last !== undefined){
let data23 = data21.last;
if(!(((typeof data23 == "number") && (!(data23 % 1) && !isNaN(data23))) && (isFinite(data23)))){
const err69 = {instancePath:instancePath+"/aof/timestamps/last",schemaPath:"#/$defs/timestamps/oneOf/1/properties/last/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
}
}
else {
const err70 = {instancePath:instancePath+"/aof/timestamps",schemaPath:"#/$defs/timestamps/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
var _valid1 = _errs53 === errors;
if(_valid1 && valid8){
valid8 = false;
passing1 = [passing1, 1];
}
else {
if(_valid1){
valid8 = true;
passing1 = 1;
}
}
if(!valid8){
const err71 = {instancePath:instancePath+"/aof/timestamps",schemaPath:"#/$defs/timestamps/oneOf",keyword:"oneOf",params:{passingSchemas: passing1},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
else {
errors = _errs50;
if(vErrors !== null){
if(_errs50){
vErrors.length = _errs50;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err72 = {instancePath:instancePath+"/aof",schemaPath:"#/properties/aof/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
}
if(data.baseKeys !== undefined){
let data24 = data.baseKeys;
if((!(((typeof data24 == "number") && (!(data24 % 1) && !isNaN(data24))) && (isFinite(data24)))) && (data24 !== null)){
const err73 = {instancePath:instancePath+"/baseKeys",schemaPath:"#/properties/baseKeys/type",keyword:"type",params:{type: schema32.properties.baseKeys.type},message:"must be integer,null"};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
if((typeof data24 == "number") && (isFinite(data24))){
if(data24 < 0 || isNaN(data24)){
const err74 = {instancePath:instancePath+"/baseKeys",schemaPath:"#/properties/baseKeys/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
}
}
if(data.files !== undefined){
let data25 = data.files;
if(Array.isArray(data25)){
if(data25.length < 1){
const err75 = {instancePath:instancePath+"/files",schemaPath:"#/properties/files/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
const len0 = data25.length;
for(let i0=0; i0<len0; i0++){
if(!(validate22(data25[i0], {instancePath:instancePath+"/files/" + i0,parentData:data25,parentDataProperty:i0,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate22.errors : vErrors.concat(validate22.errors);
errors = vErrors.length;
}
}
}
else {
const err76 = {instancePath:instancePath+"/files",schemaPath:"#/properties/files/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err76];
}
else {
vErrors.push(err76);
}
errors++;
}
}
if(data.raw !== undefined){
let data27 = data.raw;
if(data27 && typeof data27 == "object" && !Array.isArray(data27)){
if(data27.bytes === undefined){
const err77 = {instancePath:instancePath+"/raw",schemaPath:"#/properties/raw/required",keyword:"required",params:{missingProperty: "bytes"},message:"must have required property '"+"bytes"+"'"};
if(vErrors === null){
vErrors = [err77];
}
else {
vErrors.push(err77);
}
errors++;
}
for(const key5 in data27){
if(!(key5 === "bytes")){
const err78 = {instancePath:instancePath+"/raw",schemaPath:"#/properties/raw/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key5},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err78];
}
else {
vErrors.push(err78);
}
errors++;
}
}
if(data27.bytes !== undefined){
let data28 = data27.bytes;
if(!(((typeof data28 == "number") && (!(data28 % 1) && !isNaN(data28))) && (isFinite(data28)))){
const err79 = {instancePath:instancePath+"/raw/bytes",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err79];
}
else {
vErrors.push(err79);
}
errors++;
}
if((typeof data28 == "number") && (isFinite(data28))){
if(data28 < 0 || isNaN(data28)){
const err80 = {instancePath:instancePath+"/raw/bytes",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err80];
}
else {
vErrors.push(err80);
}
errors++;
}
}
}
}
else {
const err81 = {instancePath:instancePath+"/raw",schemaPath:"#/properties/raw/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err81];
}
else {
vErrors.push(err81);
}
errors++;
}
}
if(data.stored !== undefined){
let data29 = data.stored;
if(data29 && typeof data29 == "object" && !Array.isArray(data29)){
if(data29.bytes === undefined){
const err82 = {instancePath:instancePath+"/stored",schemaPath:"#/properties/stored/required",keyword:"required",params:{missingProperty: "bytes"},message:"must have required property '"+"bytes"+"'"};
if(vErrors === null){
vErrors = [err82];
}
else {
vErrors.push(err82);
}
errors++;
}
if(data29.compression === undefined){
const err83 = {instancePath:instancePath+"/stored",schemaPath:"#/properties/stored/required",keyword:"required",params:{missingProperty: "compression"},message:"must have required property '"+"compression"+"'"};
if(vErrors === null){
vErrors = [err83];
}
else {
vErrors.push(err83);
}
errors++;
}
for(const key6 in data29){
if(!((key6 === "bytes") || (key6 === "compression"))){
const err84 = {instancePath:instancePath+"/stored",schemaPath:"#/properties/stored/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key6},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err84];
}
else {
vErrors.push(err84);
}
errors++;
}
}
if(data29.bytes !== undefined){
let data30 = data29.bytes;
if(!(((typeof data30 == "number") && (!(data30 % 1) && !isNaN(data30))) && (isFinite(data30)))){
const err85 = {instancePath:instancePath+"/stored/bytes",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err85];
}
else {
vErrors.push(err85);
}
errors++;
}
if((typeof data30 == "number") && (isFinite(data30))){
if(data30 < 0 || isNaN(data30)){
const err86 = {instancePath:instancePath+"/stored/bytes",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err86];
}
else {
vErrors.push(err86);
}
errors++;
}
}
}
if(data29.compression !== undefined){
let data31 = data29.compression;
if(data31 && typeof data31 == "object" && !Array.isArray(data31)){
if(data31.algorithm === undefined){
const err87 = {instancePath:instancePath+"/stored/compression",schemaPath:"#/properties/stored/properties/compression/required",keyword:"required",params:{missingProperty: "algorithm"},message:"must have required property '"+"algorithm"+"'"};
if(vErrors === null){
vErrors = [err87];
}
else {
vErrors.push(err87);
}
errors++;
}
if(data31.level === undefined){
const err88 = {instancePath:instancePath+"/stored/compression",schemaPath:"#/properties/stored/properties/compression/required",keyword:"required",params:{missingProperty: "level"},message:"must have required property '"+"level"+"'"};
if(vErrors === null){
vErrors = [err88];
}
else {
vErrors.push(err88);
}
errors++;
}
for(const key7 in data31){
if(!((key7 === "algorithm") || (key7 === "level"))){
const err89 = {instancePath:instancePath+"/stored/compression",schemaPath:"#/properties/stored/properties/compression/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key7},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err89];
}
else {
vErrors.push(err89);
}
errors++;
}
}
if(data31.algorithm !== undefined){
if("zstd" !== data31.algorithm){
const err90 = {instancePath:instancePath+"/stored/compression/algorithm",schemaPath:"#/properties/stored/properties/compression/properties/algorithm/const",keyword:"const",params:{allowedValue: "zstd"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err90];
}
else {
vErrors.push(err90);
}
errors++;
}
}
if(data31.level !== undefined){
let data33 = data31.level;
if(!(((typeof data33 == "number") && (!(data33 % 1) && !isNaN(data33))) && (isFinite(data33)))){
const err91 = {instancePath:instancePath+"/stored/compression/level",schemaPath:"#/properties/stored/properties/compression/properties/level/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err91];
}
else {
vErrors.push(err91);
}
errors++;
}
if((typeof data33 == "number") && (isFinite(data33))){
if(data33 > 22 || isNaN(data33)){
const err92 = {instancePath:instancePath+"/stored/compression/level",schemaPath:"#/properties/stored/properties/compression/properties/level/maximum",keyword:"maximum",params:{comparison: "<=", limit: 22},message:"must be <= 22"};
if(vErrors === null){
vErrors = [err92];
}
else {
vErrors.push(err92);
}
errors++;
}
if(data33 < -7 || isNaN(data33)){
const err93 = {instancePath:instancePath+"/stored/compression/level",schemaPath:"#/properties/stored/properties/compression/properties/level/minimum",keyword:"minimum",params:{comparison: ">=", limit: -7},message:"must be >= -7"};
if(vErrors === null){
vErrors = [err93];
}
else {
vErrors.push(err93);
}
errors++;
}
}
}
}
else {
const err94 = {instancePath:instancePath+"/stored/compression",schemaPath:"#/properties/stored/properties/compression/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err94];
}
else {
vErrors.push(err94);
}
errors++;
}
}
}
else {
const err95 = {instancePath:instancePath+"/stored",schemaPath:"#/properties/stored/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err95];
}
else {
vErrors.push(err95);
}
errors++;
}
}
if(data.tool !== undefined){
let data34 = data.tool;
if(data34 && typeof data34 == "object" && !Array.isArray(data34)){
if(data34.name === undefined){
const err96 = {instancePath:instancePath+"/tool",schemaPath:"#/properties/tool/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'"};
if(vErrors === null){
vErrors = [err96];
}
else {
vErrors.push(err96);
}
errors++;
}
if(data34.version === undefined){
const err97 = {instancePath:instancePath+"/tool",schemaPath:"#/properties/tool/required",keyword:"required",params:{missingProperty: "version"},message:"must have required property '"+"version"+"'"};
if(vErrors === null){
vErrors = [err97];
}
else {
vErrors.push(err97);
}
errors++;
}
for(const key8 in data34){
if(!((key8 === "name") || (key8 === "version"))){
const err98 = {instancePath:instancePath+"/tool",schemaPath:"#/properties/tool/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key8},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err98];
}
else {
vErrors.push(err98);
}
errors++;
}
}
if(data34.name !== undefined){
if("redis-backup" !== data34.name){
const err99 = {instancePath:instancePath+"/tool/name",schemaPath:"#/properties/tool/properties/name/const",keyword:"const",params:{allowedValue: "redis-backup"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err99];
}
else {
vErrors.push(err99);
}
errors++;
}
}
if(data34.version !== undefined){
if(typeof data34.version !== "string"){
const err100 = {instancePath:instancePath+"/tool/version",schemaPath:"#/properties/tool/properties/version/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err100];
}
else {
vErrors.push(err100);
}
errors++;
}
}
}
else {
const err101 = {instancePath:instancePath+"/tool",schemaPath:"#/properties/tool/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err101];
}
else {
vErrors.push(err101);
}
errors++;
}
}
}
else {
const err102 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err102];
}
else {
vErrors.push(err102);
}
errors++;
}
validate21.errors = vErrors;
return errors === 0;
}
validate21.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema47 = {"description":"An RDB snapshot (kind rdb)","type":"object","additionalProperties":false,"required":["formatVersion","kind","snapshotId","source","method","endpoint","importedFrom","startedAt","finishedAt","timings","server","rdb","keys","functions","raw","stored","chunks","tool"],"properties":{"formatVersion":{"const":1},"kind":{"const":"rdb"},"snapshotId":{"type":"string","pattern":"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$"},"source":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"},"method":{"enum":["replication","bgsave","import"]},"endpoint":{"type":["string","null"]},"importedFrom":{"type":["string","null"]},"startedAt":{"type":"string","format":"date-time"},"finishedAt":{"type":"string","format":"date-time"},"timings":{"type":"object","additionalProperties":false,"required":["firstByteMs","totalMs"],"properties":{"firstByteMs":{"$ref":"#/$defs/count"},"totalMs":{"$ref":"#/$defs/count"}}},"server":{"oneOf":[{"type":"null"},{"type":"object","additionalProperties":false,"required":["engine","version","role"],"properties":{"engine":{"enum":["redis","valkey"]},"version":{"type":"string"},"role":{"type":["string","null"]}}}]},"rdb":{"type":"object","additionalProperties":false,"required":["version","checksum","crc64","aux","replId","replOffset"],"properties":{"version":{"type":"integer","minimum":1,"maximum":12},"checksum":{"enum":["ok","none","absent"]},"crc64":{"oneOf":[{"type":"null"},{"$ref":"#/$defs/hex64"}]},"aux":{"type":"object","additionalProperties":{"type":"string"}},"replId":{"type":["string","null"]},"replOffset":{"type":["integer","null"],"minimum":0}}},"keys":{"type":"object","additionalProperties":false,"required":["total","expiring","byDb"],"properties":{"total":{"$ref":"#/$defs/count"},"expiring":{"$ref":"#/$defs/count"},"byDb":{"type":"object","propertyNames":{"pattern":"^[0-9]+$"},"additionalProperties":{"type":"object","additionalProperties":false,"required":["keys","expiring","byType"],"properties":{"keys":{"$ref":"#/$defs/count"},"expiring":{"$ref":"#/$defs/count"},"byType":{"type":"object","additionalProperties":{"$ref":"#/$defs/count"}}}}}}},"functions":{"type":"array","items":{"type":"string"}},"raw":{"type":"object","additionalProperties":false,"required":["bytes","sha256"],"properties":{"bytes":{"$ref":"#/$defs/count"},"sha256":{"$ref":"#/$defs/sha256"}}},"stored":{"type":"object","additionalProperties":false,"required":["object","bytes","sha256","compression"],"properties":{"object":{"type":"string","pattern":"^[A-Za-z0-9._-]+$"},"bytes":{"$ref":"#/$defs/count"},"sha256":{"$ref":"#/$defs/sha256"},"compression":{"type":"object","additionalProperties":false,"required":["algorithm","level"],"properties":{"algorithm":{"const":"zstd"},"level":{"type":"integer","minimum":-7,"maximum":22}}}}},"chunks":{"type":"array","minItems":1,"items":{"type":"object","additionalProperties":false,"required":["index","raw","stored","db","sha256","storedSha256","keys"],"properties":{"index":{"$ref":"#/$defs/count"},"raw":{"$ref":"#/$defs/range"},"stored":{"$ref":"#/$defs/range"},"db":{"$ref":"#/$defs/count"},"sha256":{"$ref":"#/$defs/sha256"},"storedSha256":{"$ref":"#/$defs/sha256"},"keys":{"$ref":"#/$defs/count"}}}},"tool":{"type":"object","additionalProperties":false,"required":["name","version"],"properties":{"name":{"const":"redis-backup"},"version":{"type":"string"}}}}};
const schema50 = {"type":"string","pattern":"^[0-9a-f]{16}$"};
const pattern14 = new RegExp("^[0-9a-f]{16}$", "u");
const pattern15 = new RegExp("^[0-9]+$", "u");
const pattern17 = new RegExp("^[A-Za-z0-9._-]+$", "u");
const schema61 = {"type":"object","additionalProperties":false,"required":["offset","length"],"properties":{"offset":{"$ref":"#/$defs/count"},"length":{"$ref":"#/$defs/count"}}};

function validate26(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate26.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.offset === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "offset"},message:"must have required property '"+"offset"+"'"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.length === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "length"},message:"must have required property '"+"length"+"'"};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
for(const key0 in data){
if(!((key0 === "offset") || (key0 === "length"))){
const err2 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.offset !== undefined){
let data0 = data.offset;
if(!(((typeof data0 == "number") && (!(data0 % 1) && !isNaN(data0))) && (isFinite(data0)))){
const err3 = {instancePath:instancePath+"/offset",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if((typeof data0 == "number") && (isFinite(data0))){
if(data0 < 0 || isNaN(data0)){
const err4 = {instancePath:instancePath+"/offset",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
}
if(data.length !== undefined){
let data1 = data.length;
if(!(((typeof data1 == "number") && (!(data1 % 1) && !isNaN(data1))) && (isFinite(data1)))){
const err5 = {instancePath:instancePath+"/length",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
if((typeof data1 == "number") && (isFinite(data1))){
if(data1 < 0 || isNaN(data1)){
const err6 = {instancePath:instancePath+"/length",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
}
}
else {
const err7 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
validate26.errors = vErrors;
return errors === 0;
}
validate26.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


function validate25(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate25.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.formatVersion === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "formatVersion"},message:"must have required property '"+"formatVersion"+"'"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.kind === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "kind"},message:"must have required property '"+"kind"+"'"};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.snapshotId === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "snapshotId"},message:"must have required property '"+"snapshotId"+"'"};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data.source === undefined){
const err3 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "source"},message:"must have required property '"+"source"+"'"};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(data.method === undefined){
const err4 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "method"},message:"must have required property '"+"method"+"'"};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(data.endpoint === undefined){
const err5 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "endpoint"},message:"must have required property '"+"endpoint"+"'"};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
if(data.importedFrom === undefined){
const err6 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "importedFrom"},message:"must have required property '"+"importedFrom"+"'"};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(data.startedAt === undefined){
const err7 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "startedAt"},message:"must have required property '"+"startedAt"+"'"};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(data.finishedAt === undefined){
const err8 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "finishedAt"},message:"must have required property '"+"finishedAt"+"'"};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
if(data.timings === undefined){
const err9 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "timings"},message:"must have required property '"+"timings"+"'"};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if(data.server === undefined){
const err10 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "server"},message:"must have required property '"+"server"+"'"};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(data.rdb === undefined){
const err11 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "rdb"},message:"must have required property '"+"rdb"+"'"};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
if(data.keys === undefined){
const err12 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "keys"},message:"must have required property '"+"keys"+"'"};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
if(data.functions === undefined){
const err13 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "functions"},message:"must have required property '"+"functions"+"'"};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
if(data.raw === undefined){
const err14 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "raw"},message:"must have required property '"+"raw"+"'"};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
if(data.stored === undefined){
const err15 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "stored"},message:"must have required property '"+"stored"+"'"};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
if(data.chunks === undefined){
const err16 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "chunks"},message:"must have required property '"+"chunks"+"'"};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
if(data.tool === undefined){
const err17 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "tool"},message:"must have required property '"+"tool"+"'"};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
for(const key0 in data){
if(!(func1.call(schema47.properties, key0))){
const err18 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
if(data.formatVersion !== undefined){
if(1 !== data.formatVersion){
const err19 = {instancePath:instancePath+"/formatVersion",schemaPath:"#/properties/formatVersion/const",keyword:"const",params:{allowedValue: 1},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data.kind !== undefined){
if("rdb" !== data.kind){
const err20 = {instancePath:instancePath+"/kind",schemaPath:"#/properties/kind/const",keyword:"const",params:{allowedValue: "rdb"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data.snapshotId !== undefined){
let data2 = data.snapshotId;
if(typeof data2 === "string"){
if(!pattern4.test(data2)){
const err21 = {instancePath:instancePath+"/snapshotId",schemaPath:"#/properties/snapshotId/pattern",keyword:"pattern",params:{pattern: "^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$"},message:"must match pattern \""+"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$"+"\""};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
else {
const err22 = {instancePath:instancePath+"/snapshotId",schemaPath:"#/properties/snapshotId/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
if(data.source !== undefined){
let data3 = data.source;
if(typeof data3 === "string"){
if(!pattern5.test(data3)){
const err23 = {instancePath:instancePath+"/source",schemaPath:"#/properties/source/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"+"\""};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
else {
const err24 = {instancePath:instancePath+"/source",schemaPath:"#/properties/source/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
if(data.method !== undefined){
let data4 = data.method;
if(!(((data4 === "replication") || (data4 === "bgsave")) || (data4 === "import"))){
const err25 = {instancePath:instancePath+"/method",schemaPath:"#/properties/method/enum",keyword:"enum",params:{allowedValues: schema47.properties.method.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
if(data.endpoint !== undefined){
let data5 = data.endpoint;
if((typeof data5 !== "string") && (data5 !== null)){
const err26 = {instancePath:instancePath+"/endpoint",schemaPath:"#/properties/endpoint/type",keyword:"type",params:{type: schema47.properties.endpoint.type},message:"must be string,null"};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
if(data.importedFrom !== undefined){
let data6 = data.importedFrom;
if((typeof data6 !== "string") && (data6 !== null)){
const err27 = {instancePath:instancePath+"/importedFrom",schemaPath:"#/properties/importedFrom/type",keyword:"type",params:{type: schema47.properties.importedFrom.type},message:"must be string,null"};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
if(data.startedAt !== undefined){
let data7 = data.startedAt;
if(typeof data7 === "string"){
if(!(formats0(data7))){
const err28 = {instancePath:instancePath+"/startedAt",schemaPath:"#/properties/startedAt/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
else {
const err29 = {instancePath:instancePath+"/startedAt",schemaPath:"#/properties/startedAt/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
if(data.finishedAt !== undefined){
let data8 = data.finishedAt;
if(typeof data8 === "string"){
if(!(formats0(data8))){
const err30 = {instancePath:instancePath+"/finishedAt",schemaPath:"#/properties/finishedAt/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
else {
const err31 = {instancePath:instancePath+"/finishedAt",schemaPath:"#/properties/finishedAt/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
if(data.timings !== undefined){
let data9 = data.timings;
if(data9 && typeof data9 == "object" && !Array.isArray(data9)){
if(data9.firstByteMs === undefined){
const err32 = {instancePath:instancePath+"/timings",schemaPath:"#/properties/timings/required",keyword:"required",params:{missingProperty: "firstByteMs"},message:"must have required property '"+"firstByteMs"+"'"};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
if(data9.totalMs === undefined){
const err33 = {instancePath:instancePath+"/timings",schemaPath:"#/properties/timings/required",keyword:"required",params:{missingProperty: "totalMs"},message:"must have required property '"+"totalMs"+"'"};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
for(const key1 in data9){
if(!((key1 === "firstByteMs") || (key1 === "totalMs"))){
const err34 = {instancePath:instancePath+"/timings",schemaPath:"#/properties/timings/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
if(data9.firstByteMs !== undefined){
let data10 = data9.firstByteMs;
if(!(((typeof data10 == "number") && (!(data10 % 1) && !isNaN(data10))) && (isFinite(data10)))){
const err35 = {instancePath:instancePath+"/timings/firstByteMs",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
if((typeof data10 == "number") && (isFinite(data10))){
if(data10 < 0 || isNaN(data10)){
const err36 = {instancePath:instancePath+"/timings/firstByteMs",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
}
if(data9.totalMs !== undefined){
let data11 = data9.totalMs;
if(!(((typeof data11 == "number") && (!(data11 % 1) && !isNaN(data11))) && (isFinite(data11)))){
const err37 = {instancePath:instancePath+"/timings/totalMs",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
if((typeof data11 == "number") && (isFinite(data11))){
if(data11 < 0 || isNaN(data11)){
const err38 = {instancePath:instancePath+"/timings/totalMs",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
}
}
else {
const err39 = {instancePath:instancePath+"/timings",schemaPath:"#/properties/timings/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
if(data.server !== undefined){
let data12 = data.server;
const _errs27 = errors;
let valid4 = false;
let passing0 = null;
const _errs28 = errors;
if(data12 !== null){
const err40 = {instancePath:instancePath+"/server",schemaPath:"#/properties/server/oneOf/0/type",keyword:"type",params:{type: "null"},message:"must be null"};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
var _valid0 = _errs28 === errors;
if(_valid0){
valid4 = true;
passing0 = 0;
}
const _errs30 = errors;
if(data12 && typeof data12 == "object" && !Array.isArray(data12)){
if(data12.engine === undefined){
const err41 = {instancePath:instancePath+"/server",schemaPath:"#/properties/server/oneOf/1/required",keyword:"required",params:{missingProperty: "engine"},message:"must have required property '"+"engine"+"'"};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
if(data12.version === undefined){
const err42 = {instancePath:instancePath+"/server",schemaPath:"#/properties/server/oneOf/1/required",keyword:"required",params:{missingProperty: "version"},message:"must have required property '"+"version"+"'"};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
if(data12.role === undefined){
const err43 = {instancePath:instancePath+"/server",schemaPath:"#/properties/server/oneOf/1/required",keyword:"required",params:{missingProperty: "role"},message:"must have required property '"+"role"+"'"};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
for(const key2 in data12){
if(!(((key2 === "engine") || (key2 === "version")) || (key2 === "role"))){
const err44 = {instancePath:instancePath+"/server",schemaPath:"#/properties/server/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
if(data12.engine !== undefined){
let data13 = data12.engine;
if(!((data13 === "redis") || (data13 === "valkey"))){
const err45 = {instancePath:instancePath+"/server/engine",schemaPath:"#/properties/server/oneOf/1/properties/engine/enum",keyword:"enum",params:{allowedValues: schema47.properties.server.oneOf[1].properties.engine.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
if(data12.version !== undefined){
if(typeof data12.version !== "string"){
const err46 = {instancePath:instancePath+"/server/version",schemaPath:"#/properties/server/oneOf/1/properties/version/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
if(data12.role !== undefined){
let data15 = data12.role;
if((typeof data15 !== "string") && (data15 !== null)){
const err47 = {instancePath:instancePath+"/server/role",schemaPath:"#/properties/server/oneOf/1/properties/role/type",keyword:"type",params:{type: schema47.properties.server.oneOf[1].properties.role.type},message:"must be string,null"};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
}
else {
const err48 = {instancePath:instancePath+"/server",schemaPath:"#/properties/server/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
var _valid0 = _errs30 === errors;
if(_valid0 && valid4){
valid4 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid4 = true;
passing0 = 1;
}
}
if(!valid4){
const err49 = {instancePath:instancePath+"/server",schemaPath:"#/properties/server/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
else {
errors = _errs27;
if(vErrors !== null){
if(_errs27){
vErrors.length = _errs27;
}
else {
vErrors = null;
}
}
}
}
if(data.rdb !== undefined){
let data16 = data.rdb;
if(data16 && typeof data16 == "object" && !Array.isArray(data16)){
if(data16.version === undefined){
const err50 = {instancePath:instancePath+"/rdb",schemaPath:"#/properties/rdb/required",keyword:"required",params:{missingProperty: "version"},message:"must have required property '"+"version"+"'"};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
if(data16.checksum === undefined){
const err51 = {instancePath:instancePath+"/rdb",schemaPath:"#/properties/rdb/required",keyword:"required",params:{missingProperty: "checksum"},message:"must have required property '"+"checksum"+"'"};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
if(data16.crc64 === undefined){
const err52 = {instancePath:instancePath+"/rdb",schemaPath:"#/properties/rdb/required",keyword:"required",params:{missingProperty: "crc64"},message:"must have required property '"+"crc64"+"'"};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
if(data16.aux === undefined){
const err53 = {instancePath:instancePath+"/rdb",schemaPath:"#/properties/rdb/required",keyword:"required",params:{missingProperty: "aux"},message:"must have required property '"+"aux"+"'"};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
if(data16.replId === undefined){
const err54 = {instancePath:instancePath+"/rdb",schemaPath:"#/properties/rdb/required",keyword:"required",params:{missingProperty: "replId"},message:"must have required property '"+"replId"+"'"};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
if(data16.replOffset === undefined){
const err55 = {instancePath:instancePath+"/rdb",schemaPath:"#/properties/rdb/required",keyword:"required",params:{missingProperty: "replOffset"},message:"must have required property '"+"replOffset"+"'"};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
for(const key3 in data16){
if(!((((((key3 === "version") || (key3 === "checksum")) || (key3 === "crc64")) || (key3 === "aux")) || (key3 === "replId")) || (key3 === "replOffset"))){
const err56 = {instancePath:instancePath+"/rdb",schemaPath:"#/properties/rdb/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
}
if(data16.version !== undefined){
let data17 = data16.version;
if(!(((typeof data17 == "number") && (!(data17 % 1) && !isNaN(data17))) && (isFinite(data17)))){
const err57 = {instancePath:instancePath+"/rdb/version",schemaPath:"#/properties/rdb/properties/version/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
if((typeof data17 == "number") && (isFinite(data17))){
if(data17 > 12 || isNaN(data17)){
const err58 = {instancePath:instancePath+"/rdb/version",schemaPath:"#/properties/rdb/properties/version/maximum",keyword:"maximum",params:{comparison: "<=", limit: 12},message:"must be <= 12"};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
if(data17 < 1 || isNaN(data17)){
const err59 = {instancePath:instancePath+"/rdb/version",schemaPath:"#/properties/rdb/properties/version/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
}
}
if(data16.checksum !== undefined){
let data18 = data16.checksum;
if(!(((data18 === "ok") || (data18 === "none")) || (data18 === "absent"))){
const err60 = {instancePath:instancePath+"/rdb/checksum",schemaPath:"#/properties/rdb/properties/checksum/enum",keyword:"enum",params:{allowedValues: schema47.properties.rdb.properties.checksum.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
}
if(data16.crc64 !== undefined){
let data19 = data16.crc64;
const _errs45 = errors;
let valid7 = false;
let passing1 = null;
const _errs46 = errors;
if(data19 !== null){
const err61 = {instancePath:instancePath+"/rdb/crc64",schemaPath:"#/properties/rdb/properties/crc64/oneOf/0/type",keyword:"type",params:{type: "null"},message:"must be null"};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
var _valid1 = _errs46 === errors;
if(_valid1){
valid7 = true;
passing1 = 0;
}
const _errs48 = errors;
if(typeof data19 === "string"){
if(!pattern14.test(data19)){
const err62 = {instancePath:instancePath+"/rdb/crc64",schemaPath:"#/$defs/hex64/pattern",keyword:"pattern",params:{pattern: "^[0-9a-f]{16}$"},message:"must match pattern \""+"^[0-9a-f]{16}$"+"\""};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
}
else {
const err63 = {instancePath:instancePath+"/rdb/crc64",schemaPath:"#/$defs/hex64/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
var _valid1 = _errs48 === errors;
if(_valid1 && valid7){
valid7 = false;
passing1 = [passing1, 1];
}
else {
if(_valid1){
valid7 = true;
passing1 = 1;
}
}
if(!valid7){
const err64 = {instancePath:instancePath+"/rdb/crc64",schemaPath:"#/properties/rdb/properties/crc64/oneOf",keyword:"oneOf",params:{passingSchemas: passing1},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
else {
errors = _errs45;
if(vErrors !== null){
if(_errs45){
vErrors.length = _errs45;
}
else {
vErrors = null;
}
}
}
}
if(data16.aux !== undefined){
let data20 = data16.aux;
if(data20 && typeof data20 == "object" && !Array.isArray(data20)){
for(const key4 in data20){
if(typeof data20[key4] !== "string"){
const err65 = {instancePath:instancePath+"/rdb/aux/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/rdb/properties/aux/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
}
}
else {
const err66 = {instancePath:instancePath+"/rdb/aux",schemaPath:"#/properties/rdb/properties/aux/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
}
if(data16.replId !== undefined){
let data22 = data16.replId;
if((typeof data22 !== "string") && (data22 !== null)){
const err67 = {instancePath:instancePath+"/rdb/replId",schemaPath:"#/properties/rdb/properties/replId/type",keyword:"type",params:{type: schema47.properties.rdb.properties.replId.type},message:"must be string,null"};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
}
if(data16.replOffset !== undefined){
let data23 = data16.replOffset;
if((!(((typeof data23 == "number") && (!(data23 % 1) && !isNaN(data23))) && (isFinite(data23)))) && (data23 !== null)){
const err68 = {instancePath:instancePath+"/rdb/replOffset",schemaPath:"#/properties/rdb/properties/replOffset/type",keyword:"type",params:{type: schema47.properties.rdb.properties.replOffset.type},message:"must be integer,null"};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
if((typeof data23 == "number") && (isFinite(data23))){
if(data23 < 0 || isNaN(data23)){
const err69 = {instancePath:instancePath+"/rdb/replOffset",schemaPath:"#/properties/rdb/properties/replOffset/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
}
}
}
else {
const err70 = {instancePath:instancePath+"/rdb",schemaPath:"#/properties/rdb/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
}
if(data.keys !== undefined){
let data24 = data.keys;
if(data24 && typeof data24 == "object" && !Array.isArray(data24)){
if(data24.total === undefined){
const err71 = {instancePath:instancePath+"/keys",schemaPath:"#/properties/keys/required",keyword:"required",params:{missingProperty: "total"},message:"must have required property '"+"total"+"'"};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
if(data24.expiring === undefined){
const err72 = {instancePath:instancePath+"/keys",schemaPath:"#/properties/keys/required",keyword:"required",params:{missingProperty: "expiring"},message:"must have required property '"+"expiring"+"'"};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
if(data24.byDb === undefined){
const err73 = {instancePath:instancePath+"/keys",schemaPath:"#/properties/keys/required",keyword:"required",params:{missingProperty: "byDb"},message:"must have required property '"+"byDb"+"'"};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
for(const key5 in data24){
if(!(((key5 === "total") || (key5 === "expiring")) || (key5 === "byDb"))){
const err74 = {instancePath:instancePath+"/keys",schemaPath:"#/properties/keys/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key5},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
}
if(data24.total !== undefined){
let data25 = data24.total;
if(!(((typeof data25 == "number") && (!(data25 % 1) && !isNaN(data25))) && (isFinite(data25)))){
const err75 = {instancePath:instancePath+"/keys/total",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
if((typeof data25 == "number") && (isFinite(data25))){
if(data25 < 0 || isNaN(data25)){
const err76 = {instancePath:instancePath+"/keys/total",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err76];
}
else {
vErrors.push(err76);
}
errors++;
}
}
}
if(data24.expiring !== undefined){
let data26 = data24.expiring;
if(!(((typeof data26 == "number") && (!(data26 % 1) && !isNaN(data26))) && (isFinite(data26)))){
const err77 = {instancePath:instancePath+"/keys/expiring",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err77];
}
else {
vErrors.push(err77);
}
errors++;
}
if((typeof data26 == "number") && (isFinite(data26))){
if(data26 < 0 || isNaN(data26)){
const err78 = {instancePath:instancePath+"/keys/expiring",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err78];
}
else {
vErrors.push(err78);
}
errors++;
}
}
}
if(data24.byDb !== undefined){
let data27 = data24.byDb;
if(data27 && typeof data27 == "object" && !Array.isArray(data27)){
for(const key6 in data27){
const _errs71 = errors;
if(typeof key6 === "string"){
if(!pattern15.test(key6)){
const err79 = {instancePath:instancePath+"/keys/byDb",schemaPath:"#/properties/keys/properties/byDb/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[0-9]+$"},message:"must match pattern \""+"^[0-9]+$"+"\"",propertyName:key6};
if(vErrors === null){
vErrors = [err79];
}
else {
vErrors.push(err79);
}
errors++;
}
}
var valid13 = _errs71 === errors;
if(!valid13){
const err80 = {instancePath:instancePath+"/keys/byDb",schemaPath:"#/properties/keys/properties/byDb/propertyNames",keyword:"propertyNames",params:{propertyName: key6},message:"property name must be valid"};
if(vErrors === null){
vErrors = [err80];
}
else {
vErrors.push(err80);
}
errors++;
}
}
for(const key7 in data27){
let data28 = data27[key7];
if(data28 && typeof data28 == "object" && !Array.isArray(data28)){
if(data28.keys === undefined){
const err81 = {instancePath:instancePath+"/keys/byDb/" + key7.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/keys/properties/byDb/additionalProperties/required",keyword:"required",params:{missingProperty: "keys"},message:"must have required property '"+"keys"+"'"};
if(vErrors === null){
vErrors = [err81];
}
else {
vErrors.push(err81);
}
errors++;
}
if(data28.expiring === undefined){
const err82 = {instancePath:instancePath+"/keys/byDb/" + key7.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/keys/properties/byDb/additionalProperties/required",keyword:"required",params:{missingProperty: "expiring"},message:"must have required property '"+"expiring"+"'"};
if(vErrors === null){
vErrors = [err82];
}
else {
vErrors.push(err82);
}
errors++;
}
if(data28.byType === undefined){
const err83 = {instancePath:instancePath+"/keys/byDb/" + key7.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/keys/properties/byDb/additionalProperties/required",keyword:"required",params:{missingProperty: "byType"},message:"must have required property '"+"byType"+"'"};
if(vErrors === null){
vErrors = [err83];
}
else {
vErrors.push(err83);
}
errors++;
}
for(const key8 in data28){
if(!(((key8 === "keys") || (key8 === "expiring")) || (key8 === "byType"))){
const err84 = {instancePath:instancePath+"/keys/byDb/" + key7.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/keys/properties/byDb/additionalProperties/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key8},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err84];
}
else {
vErrors.push(err84);
}
errors++;
}
}
if(data28.keys !== undefined){
let data29 = data28.keys;
if(!(((typeof data29 == "number") && (!(data29 % 1) && !isNaN(data29))) && (isFinite(data29)))){
const err85 = {instancePath:instancePath+"/keys/byDb/" + key7.replace(/~/g, "~0").replace(/\//g, "~1")+"/keys",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err85];
}
else {
vErrors.push(err85);
}
errors++;
}
if((typeof data29 == "number") && (isFinite(data29))){
if(data29 < 0 || isNaN(data29)){
const err86 = {instancePath:instancePath+"/keys/byDb/" + key7.replace(/~/g, "~0").replace(/\//g, "~1")+"/keys",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err86];
}
else {
vErrors.push(err86);
}
errors++;
}
}
}
if(data28.expiring !== undefined){
let data30 = data28.expiring;
if(!(((typeof data30 == "number") && (!(data30 % 1) && !isNaN(data30))) && (isFinite(data30)))){
const err87 = {instancePath:instancePath+"/keys/byDb/" + key7.replace(/~/g, "~0").replace(/\//g, "~1")+"/expiring",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err87];
}
else {
vErrors.push(err87);
}
errors++;
}
if((typeof data30 == "number") && (isFinite(data30))){
if(data30 < 0 || isNaN(data30)){
const err88 = {instancePath:instancePath+"/keys/byDb/" + key7.replace(/~/g, "~0").replace(/\//g, "~1")+"/expiring",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err88];
}
else {
vErrors.push(err88);
}
errors++;
}
}
}
if(data28.byType !== undefined){
let data31 = data28.byType;
if(data31 && typeof data31 == "object" && !Array.isArray(data31)){
for(const key9 in data31){
let data32 = data31[key9];
if(!(((typeof data32 == "number") && (!(data32 % 1) && !isNaN(data32))) && (isFinite(data32)))){
const err89 = {instancePath:instancePath+"/keys/byDb/" + key7.replace(/~/g, "~0").replace(/\//g, "~1")+"/byType/" + key9.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err89];
}
else {
vErrors.push(err89);
}
errors++;
}
if((typeof data32 == "number") && (isFinite(data32))){
if(data32 < 0 || isNaN(data32)){
const err90 = {instancePath:instancePath+"/keys/byDb/" + key7.replace(/~/g, "~0").replace(/\//g, "~1")+"/byType/" + key9.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err90];
}
else {
vErrors.push(err90);
}
errors++;
}
}
}
}
else {
const err91 = {instancePath:instancePath+"/keys/byDb/" + key7.replace(/~/g, "~0").replace(/\//g, "~1")+"/byType",schemaPath:"#/properties/keys/properties/byDb/additionalProperties/properties/byType/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err91];
}
else {
vErrors.push(err91);
}
errors++;
}
}
}
else {
const err92 = {instancePath:instancePath+"/keys/byDb/" + key7.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/keys/properties/byDb/additionalProperties/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err92];
}
else {
vErrors.push(err92);
}
errors++;
}
}
}
else {
const err93 = {instancePath:instancePath+"/keys/byDb",schemaPath:"#/properties/keys/properties/byDb/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err93];
}
else {
vErrors.push(err93);
}
errors++;
}
}
}
else {
const err94 = {instancePath:instancePath+"/keys",schemaPath:"#/properties/keys/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err94];
}
else {
vErrors.push(err94);
}
errors++;
}
}
if(data.functions !== undefined){
let data33 = data.functions;
if(Array.isArray(data33)){
const len0 = data33.length;
for(let i0=0; i0<len0; i0++){
if(typeof data33[i0] !== "string"){
const err95 = {instancePath:instancePath+"/functions/" + i0,schemaPath:"#/properties/functions/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err95];
}
else {
vErrors.push(err95);
}
errors++;
}
}
}
else {
const err96 = {instancePath:instancePath+"/functions",schemaPath:"#/properties/functions/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err96];
}
else {
vErrors.push(err96);
}
errors++;
}
}
if(data.raw !== undefined){
let data35 = data.raw;
if(data35 && typeof data35 == "object" && !Array.isArray(data35)){
if(data35.bytes === undefined){
const err97 = {instancePath:instancePath+"/raw",schemaPath:"#/properties/raw/required",keyword:"required",params:{missingProperty: "bytes"},message:"must have required property '"+"bytes"+"'"};
if(vErrors === null){
vErrors = [err97];
}
else {
vErrors.push(err97);
}
errors++;
}
if(data35.sha256 === undefined){
const err98 = {instancePath:instancePath+"/raw",schemaPath:"#/properties/raw/required",keyword:"required",params:{missingProperty: "sha256"},message:"must have required property '"+"sha256"+"'"};
if(vErrors === null){
vErrors = [err98];
}
else {
vErrors.push(err98);
}
errors++;
}
for(const key10 in data35){
if(!((key10 === "bytes") || (key10 === "sha256"))){
const err99 = {instancePath:instancePath+"/raw",schemaPath:"#/properties/raw/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key10},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err99];
}
else {
vErrors.push(err99);
}
errors++;
}
}
if(data35.bytes !== undefined){
let data36 = data35.bytes;
if(!(((typeof data36 == "number") && (!(data36 % 1) && !isNaN(data36))) && (isFinite(data36)))){
const err100 = {instancePath:instancePath+"/raw/bytes",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err100];
}
else {
vErrors.push(err100);
}
errors++;
}
if((typeof data36 == "number") && (isFinite(data36))){
if(data36 < 0 || isNaN(data36)){
const err101 = {instancePath:instancePath+"/raw/bytes",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err101];
}
else {
vErrors.push(err101);
}
errors++;
}
}
}
if(data35.sha256 !== undefined){
let data37 = data35.sha256;
if(typeof data37 === "string"){
if(!pattern10.test(data37)){
const err102 = {instancePath:instancePath+"/raw/sha256",schemaPath:"#/$defs/sha256/pattern",keyword:"pattern",params:{pattern: "^[0-9a-f]{64}$"},message:"must match pattern \""+"^[0-9a-f]{64}$"+"\""};
if(vErrors === null){
vErrors = [err102];
}
else {
vErrors.push(err102);
}
errors++;
}
}
else {
const err103 = {instancePath:instancePath+"/raw/sha256",schemaPath:"#/$defs/sha256/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err103];
}
else {
vErrors.push(err103);
}
errors++;
}
}
}
else {
const err104 = {instancePath:instancePath+"/raw",schemaPath:"#/properties/raw/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err104];
}
else {
vErrors.push(err104);
}
errors++;
}
}
if(data.stored !== undefined){
let data38 = data.stored;
if(data38 && typeof data38 == "object" && !Array.isArray(data38)){
if(data38.object === undefined){
const err105 = {instancePath:instancePath+"/stored",schemaPath:"#/properties/stored/required",keyword:"required",params:{missingProperty: "object"},message:"must have required property '"+"object"+"'"};
if(vErrors === null){
vErrors = [err105];
}
else {
vErrors.push(err105);
}
errors++;
}
if(data38.bytes === undefined){
const err106 = {instancePath:instancePath+"/stored",schemaPath:"#/properties/stored/required",keyword:"required",params:{missingProperty: "bytes"},message:"must have required property '"+"bytes"+"'"};
if(vErrors === null){
vErrors = [err106];
}
else {
vErrors.push(err106);
}
errors++;
}
if(data38.sha256 === undefined){
const err107 = {instancePath:instancePath+"/stored",schemaPath:"#/properties/stored/required",keyword:"required",params:{missingProperty: "sha256"},message:"must have required property '"+"sha256"+"'"};
if(vErrors === null){
vErrors = [err107];
}
else {
vErrors.push(err107);
}
errors++;
}
if(data38.compression === undefined){
const err108 = {instancePath:instancePath+"/stored",schemaPath:"#/properties/stored/required",keyword:"required",params:{missingProperty: "compression"},message:"must have required property '"+"compression"+"'"};
if(vErrors === null){
vErrors = [err108];
}
else {
vErrors.push(err108);
}
errors++;
}
for(const key11 in data38){
if(!((((key11 === "object") || (key11 === "bytes")) || (key11 === "sha256")) || (key11 === "compression"))){
const err109 = {instancePath:instancePath+"/stored",schemaPath:"#/properties/stored/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key11},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err109];
}
else {
vErrors.push(err109);
}
errors++;
}
}
if(data38.object !== undefined){
let data39 = data38.object;
if(typeof data39 === "string"){
if(!pattern17.test(data39)){
const err110 = {instancePath:instancePath+"/stored/object",schemaPath:"#/properties/stored/properties/object/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9._-]+$"},message:"must match pattern \""+"^[A-Za-z0-9._-]+$"+"\""};
if(vErrors === null){
vErrors = [err110];
}
else {
vErrors.push(err110);
}
errors++;
}
}
else {
const err111 = {instancePath:instancePath+"/stored/object",schemaPath:"#/properties/stored/properties/object/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err111];
}
else {
vErrors.push(err111);
}
errors++;
}
}
if(data38.bytes !== undefined){
let data40 = data38.bytes;
if(!(((typeof data40 == "number") && (!(data40 % 1) && !isNaN(data40))) && (isFinite(data40)))){
const err112 = {instancePath:instancePath+"/stored/bytes",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err112];
}
else {
vErrors.push(err112);
}
errors++;
}
if((typeof data40 == "number") && (isFinite(data40))){
if(data40 < 0 || isNaN(data40)){
const err113 = {instancePath:instancePath+"/stored/bytes",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err113];
}
else {
vErrors.push(err113);
}
errors++;
}
}
}
if(data38.sha256 !== undefined){
let data41 = data38.sha256;
if(typeof data41 === "string"){
if(!pattern10.test(data41)){
const err114 = {instancePath:instancePath+"/stored/sha256",schemaPath:"#/$defs/sha256/pattern",keyword:"pattern",params:{pattern: "^[0-9a-f]{64}$"},message:"must match pattern \""+"^[0-9a-f]{64}$"+"\""};
if(vErrors === null){
vErrors = [err114];
}
else {
vErrors.push(err114);
}
errors++;
}
}
else {
const err115 = {instancePath:instancePath+"/stored/sha256",schemaPath:"#/$defs/sha256/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err115];
}
else {
vErrors.push(err115);
}
errors++;
}
}
if(data38.compression !== undefined){
let data42 = data38.compression;
if(data42 && typeof data42 == "object" && !Array.isArray(data42)){
if(data42.algorithm === undefined){
const err116 = {instancePath:instancePath+"/stored/compression",schemaPath:"#/properties/stored/properties/compression/required",keyword:"required",params:{missingProperty: "algorithm"},message:"must have required property '"+"algorithm"+"'"};
if(vErrors === null){
vErrors = [err116];
}
else {
vErrors.push(err116);
}
errors++;
}
if(data42.level === undefined){
const err117 = {instancePath:instancePath+"/stored/compression",schemaPath:"#/properties/stored/properties/compression/required",keyword:"required",params:{missingProperty: "level"},message:"must have required property '"+"level"+"'"};
if(vErrors === null){
vErrors = [err117];
}
else {
vErrors.push(err117);
}
errors++;
}
for(const key12 in data42){
if(!((key12 === "algorithm") || (key12 === "level"))){
const err118 = {instancePath:instancePath+"/stored/compression",schemaPath:"#/properties/stored/properties/compression/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key12},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err118];
}
else {
vErrors.push(err118);
}
errors++;
}
}
if(data42.algorithm !== undefined){
if("zstd" !== data42.algorithm){
const err119 = {instancePath:instancePath+"/stored/compression/algorithm",schemaPath:"#/properties/stored/properties/compression/properties/algorithm/const",keyword:"const",params:{allowedValue: "zstd"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err119];
}
else {
vErrors.push(err119);
}
errors++;
}
}
if(data42.level !== undefined){
let data44 = data42.level;
if(!(((typeof data44 == "number") && (!(data44 % 1) && !isNaN(data44))) && (isFinite(data44)))){
const err120 = {instancePath:instancePath+"/stored/compression/level",schemaPath:"#/properties/stored/properties/compression/properties/level/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err120];
}
else {
vErrors.push(err120);
}
errors++;
}
if((typeof data44 == "number") && (isFinite(data44))){
if(data44 > 22 || isNaN(data44)){
const err121 = {instancePath:instancePath+"/stored/compression/level",schemaPath:"#/properties/stored/properties/compression/properties/level/maximum",keyword:"maximum",params:{comparison: "<=", limit: 22},message:"must be <= 22"};
if(vErrors === null){
vErrors = [err121];
}
else {
vErrors.push(err121);
}
errors++;
}
if(data44 < -7 || isNaN(data44)){
const err122 = {instancePath:instancePath+"/stored/compression/level",schemaPath:"#/properties/stored/properties/compression/properties/level/minimum",keyword:"minimum",params:{comparison: ">=", limit: -7},message:"must be >= -7"};
if(vErrors === null){
vErrors = [err122];
}
else {
vErrors.push(err122);
}
errors++;
}
}
}
}
else {
const err123 = {instancePath:instancePath+"/stored/compression",schemaPath:"#/properties/stored/properties/compression/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err123];
}
else {
vErrors.push(err123);
}
errors++;
}
}
}
else {
const err124 = {instancePath:instancePath+"/stored",schemaPath:"#/properties/stored/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err124];
}
else {
vErrors.push(err124);
}
errors++;
}
}
if(data.chunks !== undefined){
let data45 = data.chunks;
if(Array.isArray(data45)){
if(data45.length < 1){
const err125 = {instancePath:instancePath+"/chunks",schemaPath:"#/properties/chunks/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"};
if(vErrors === null){
vErrors = [err125];
}
else {
vErrors.push(err125);
}
errors++;
}
const len1 = data45.length;
for(let i1=0; i1<len1; i1++){
let data46 = data45[i1];
if(data46 && typeof data46 == "object" && !Array.isArray(data46)){
if(data46.index === undefined){
const err126 = {instancePath:instancePath+"/chunks/" + i1,schemaPath:"#/properties/chunks/items/required",keyword:"required",params:{missingProperty: "index"},message:"must have required property '"+"index"+"'"};
if(vErrors === null){
vErrors = [err126];
}
else {
vErrors.push(err126);
}
errors++;
}
if(data46.raw === undefined){
const err127 = {instancePath:instancePath+"/chunks/" + i1,schemaPath:"#/properties/chunks/items/required",keyword:"required",params:{missingProperty: "raw"},message:"must have required property '"+"raw"+"'"};
if(vErrors === null){
vErrors = [err127];
}
else {
vErrors.push(err127);
}
errors++;
}
if(data46.stored === undefined){
const err128 = {instancePath:instancePath+"/chunks/" + i1,schemaPath:"#/properties/chunks/items/required",keyword:"required",params:{missingProperty: "stored"},message:"must have required property '"+"stored"+"'"};
if(vErrors === null){
vErrors = [err128];
}
else {
vErrors.push(err128);
}
errors++;
}
if(data46.db === undefined){
const err129 = {instancePath:instancePath+"/chunks/" + i1,schemaPath:"#/properties/chunks/items/required",keyword:"required",params:{missingProperty: "db"},message:"must have required property '"+"db"+"'"};
if(vErrors === null){
vErrors = [err129];
}
else {
vErrors.push(err129);
}
errors++;
}
if(data46.sha256 === undefined){
const err130 = {instancePath:instancePath+"/chunks/" + i1,schemaPath:"#/properties/chunks/items/required",keyword:"required",params:{missingProperty: "sha256"},message:"must have required property '"+"sha256"+"'"};
if(vErrors === null){
vErrors = [err130];
}
else {
vErrors.push(err130);
}
errors++;
}
if(data46.storedSha256 === undefined){
const err131 = {instancePath:instancePath+"/chunks/" + i1,schemaPath:"#/properties/chunks/items/required",keyword:"required",params:{missingProperty: "storedSha256"},message:"must have required property '"+"storedSha256"+"'"};
if(vErrors === null){
vErrors = [err131];
}
else {
vErrors.push(err131);
}
errors++;
}
if(data46.keys === undefined){
const err132 = {instancePath:instancePath+"/chunks/" + i1,schemaPath:"#/properties/chunks/items/required",keyword:"required",params:{missingProperty: "keys"},message:"must have required property '"+"keys"+"'"};
if(vErrors === null){
vErrors = [err132];
}
else {
vErrors.push(err132);
}
errors++;
}
for(const key13 in data46){
if(!(((((((key13 === "index") || (key13 === "raw")) || (key13 === "stored")) || (key13 === "db")) || (key13 === "sha256")) || (key13 === "storedSha256")) || (key13 === "keys"))){
const err133 = {instancePath:instancePath+"/chunks/" + i1,schemaPath:"#/properties/chunks/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key13},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err133];
}
else {
vErrors.push(err133);
}
errors++;
}
}
if(data46.index !== undefined){
let data47 = data46.index;
if(!(((typeof data47 == "number") && (!(data47 % 1) && !isNaN(data47))) && (isFinite(data47)))){
const err134 = {instancePath:instancePath+"/chunks/" + i1+"/index",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err134];
}
else {
vErrors.push(err134);
}
errors++;
}
if((typeof data47 == "number") && (isFinite(data47))){
if(data47 < 0 || isNaN(data47)){
const err135 = {instancePath:instancePath+"/chunks/" + i1+"/index",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err135];
}
else {
vErrors.push(err135);
}
errors++;
}
}
}
if(data46.raw !== undefined){
if(!(validate26(data46.raw, {instancePath:instancePath+"/chunks/" + i1+"/raw",parentData:data46,parentDataProperty:"raw",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
errors = vErrors.length;
}
}
if(data46.stored !== undefined){
if(!(validate26(data46.stored, {instancePath:instancePath+"/chunks/" + i1+"/stored",parentData:data46,parentDataProperty:"stored",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
errors = vErrors.length;
}
}
if(data46.db !== undefined){
let data50 = data46.db;
if(!(((typeof data50 == "number") && (!(data50 % 1) && !isNaN(data50))) && (isFinite(data50)))){
const err136 = {instancePath:instancePath+"/chunks/" + i1+"/db",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err136];
}
else {
vErrors.push(err136);
}
errors++;
}
if((typeof data50 == "number") && (isFinite(data50))){
if(data50 < 0 || isNaN(data50)){
const err137 = {instancePath:instancePath+"/chunks/" + i1+"/db",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err137];
}
else {
vErrors.push(err137);
}
errors++;
}
}
}
if(data46.sha256 !== undefined){
let data51 = data46.sha256;
if(typeof data51 === "string"){
if(!pattern10.test(data51)){
const err138 = {instancePath:instancePath+"/chunks/" + i1+"/sha256",schemaPath:"#/$defs/sha256/pattern",keyword:"pattern",params:{pattern: "^[0-9a-f]{64}$"},message:"must match pattern \""+"^[0-9a-f]{64}$"+"\""};
if(vErrors === null){
vErrors = [err138];
}
else {
vErrors.push(err138);
}
errors++;
}
}
else {
const err139 = {instancePath:instancePath+"/chunks/" + i1+"/sha256",schemaPath:"#/$defs/sha256/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err139];
}
else {
vErrors.push(err139);
}
errors++;
}
}
if(data46.storedSha256 !== undefined){
let data52 = data46.storedSha256;
if(typeof data52 === "string"){
if(!pattern10.test(data52)){
const err140 = {instancePath:instancePath+"/chunks/" + i1+"/storedSha256",schemaPath:"#/$defs/sha256/pattern",keyword:"pattern",params:{pattern: "^[0-9a-f]{64}$"},message:"must match pattern \""+"^[0-9a-f]{64}$"+"\""};
if(vErrors === null){
vErrors = [err140];
}
else {
vErrors.push(err140);
}
errors++;
}
}
else {
const err141 = {instancePath:instancePath+"/chunks/" + i1+"/storedSha256",schemaPath:"#/$defs/sha256/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err141];
}
else {
vErrors.push(err141);
}
errors++;
}
}
if(data46.keys !== undefined){
let data53 = data46.keys;
if(!(((typeof data53 == "number") && (!(data53 % 1) && !isNaN(data53))) && (isFinite(data53)))){
const err142 = {instancePath:instancePath+"/chunks/" + i1+"/keys",schemaPath:"#/$defs/count/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err142];
}
else {
vErrors.push(err142);
}
errors++;
}
if((typeof data53 == "number") && (isFinite(data53))){
if(data53 < 0 || isNaN(data53)){
const err143 = {instancePath:instancePath+"/chunks/" + i1+"/keys",schemaPath:"#/$defs/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err143];
}
else {
vErrors.push(err143);
}
errors++;
}
}
}
}
else {
const err144 = {instancePath:instancePath+"/chunks/" + i1,schemaPath:"#/properties/chunks/items/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err144];
}
else {
vErrors.push(err144);
}
errors++;
}
}
}
else {
const err145 = {instancePath:instancePath+"/chunks",schemaPath:"#/properties/chunks/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err145];
}
else {
vErrors.push(err145);
}
errors++;
}
}
if(data.tool !== undefined){
let data54 = data.tool;
if(data54 && typeof data54 == "object" && !Array.isArray(data54)){
if(data54.name === undefined){
const err146 = {instancePath:instancePath+"/tool",schemaPath:"#/properties/tool/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'"};
if(vErrors === null){
vErrors = [err146];
}
else {
vErrors.push(err146);
}
errors++;
}
if(data54.version === undefined){
const err147 = {instancePath:instancePath+"/tool",schemaPath:"#/properties/tool/required",keyword:"required",params:{missingProperty: "version"},message:"must have required property '"+"version"+"'"};
if(vErrors === null){
vErrors = [err147];
}
else {
vErrors.push(err147);
}
errors++;
}
for(const key14 in data54){
if(!((key14 === "name") || (key14 === "version"))){
const err148 = {instancePath:instancePath+"/tool",schemaPath:"#/properties/tool/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key14},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err148];
}
else {
vErrors.push(err148);
}
errors++;
}
}
if(data54.name !== undefined){
if("redis-backup" !== data54.name){
const err149 = {instancePath:instancePath+"/tool/name",schemaPath:"#/properties/tool/properties/name/const",keyword:"const",params:{allowedValue: "redis-backup"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err149];
}
else {
vErrors.push(err149);
}
errors++;
}
}
if(data54.version !== undefined){
if(typeof data54.version !== "string"){
const err150 = {instancePath:instancePath+"/tool/version",schemaPath:"#/properties/tool/properties/version/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err150];
}
else {
vErrors.push(err150);
}
errors++;
}
}
}
else {
const err151 = {instancePath:instancePath+"/tool",schemaPath:"#/properties/tool/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err151];
}
else {
vErrors.push(err151);
}
errors++;
}
}
}
else {
const err152 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err152];
}
else {
vErrors.push(err152);
}
errors++;
}
validate25.errors = vErrors;
return errors === 0;
}
validate25.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


function validate20(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
/*# sourceURL="https://github.com/redis-backup/redis-backup/manifest.schema.json" */;
let vErrors = null;
let errors = 0;
const evaluated0 = validate20.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
const _errs1 = errors;
let valid0 = true;
const _errs2 = errors;
if(errors === _errs2){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((data.kind === undefined) && (missing0 = "kind")){
const err0 = {};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
else {
if(data.kind !== undefined){
if("aof" !== data.kind){
const err1 = {};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
}
}
else {
const err2 = {};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
var _valid0 = _errs2 === errors;
errors = _errs1;
if(vErrors !== null){
if(_errs1){
vErrors.length = _errs1;
}
else {
vErrors = null;
}
}
let ifClause0;
if(_valid0){
const _errs5 = errors;
if(!(validate21(data, {instancePath,parentData,parentDataProperty,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate21.errors : vErrors.concat(validate21.errors);
errors = vErrors.length;
}
var _valid0 = _errs5 === errors;
valid0 = _valid0;
if(valid0){
var props0 = true;
}
ifClause0 = "then";
}
else {
const _errs6 = errors;
if(!(validate25(data, {instancePath,parentData,parentDataProperty,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate25.errors : vErrors.concat(validate25.errors);
errors = vErrors.length;
}
var _valid0 = _errs6 === errors;
valid0 = _valid0;
if(valid0){
if(props0 !== true){
props0 = true;
}
}
ifClause0 = "else";
}
if(!valid0){
const err3 = {instancePath,schemaPath:"#/if",keyword:"if",params:{failingKeyword: ifClause0},message:"must match \""+ifClause0+"\" schema"};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.kind === undefined){
const err4 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "kind"},message:"must have required property '"+"kind"+"'"};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(props0 !== true){
props0 = props0 || {};
props0.kind = true;
}
if(data.kind !== undefined){
let data1 = data.kind;
if(!((data1 === "rdb") || (data1 === "aof"))){
const err5 = {instancePath:instancePath+"/kind",schemaPath:"#/properties/kind/enum",keyword:"enum",params:{allowedValues: schema31.properties.kind.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
}
else {
const err6 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
validate20.errors = vErrors;
evaluated0.props = props0;
return errors === 0;
}
validate20.evaluated = {"dynamicProps":true,"dynamicItems":false};

